/** The checker reads the model code of each Truss it checks: same codes, every format, --fix. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT } from '../ruleFiles';

const CLI = join(ROOT, 'dist', 'cli.js');
const CONFIG = 'model_name: m\nmodel_module_dir: src\nsecrets:\n  hf_access_token: null\n';
const MODEL =
  'class Model:\n    def __init__(self, **kwargs):\n        self._secrets = kwargs["secrets"]\n\n' +
  '    def load(self):\n        a = self._secrets["hf_acess_token"]\n        b = self._secrets.get("openai_key")\n' +
  '        c = self._secrets["hf_access_token"]\n';

describe('checker: model code', () => {
  let dir: string;
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8' });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'truss-cli-py-'));
    mkdirSync(join(dir, 't', 'src'), { recursive: true });
    mkdirSync(join(dir, 't', 'model'), { recursive: true });
    writeFileSync(join(dir, 't', 'config.yaml'), CONFIG);
    writeFileSync(join(dir, 't', 'src', 'model.py'), MODEL);
    // model/ is not the model_module_dir: not packaged, not read.
    writeFileSync(join(dir, 't', 'model', 'model.py'), MODEL.replace('openai_key', 'not_packaged'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('text: the Python file, its line and column, the same code', () => {
    const r = run('t');
    assert.equal(r.code, 0);
    const lines = r.out.split('\n').filter((l) => l.includes('undeclared-secret-read'));
    assert.deepEqual(
      lines.map((l) => l.split(' warning')[0]),
      [join('t', 'src', 'model.py:6:28:'), join('t', 'src', 'model.py:7:32:')],
    );
    assert.match(lines[0], /Did you mean `hf_access_token`\?/);
    assert.ok(!r.out.includes('not_packaged'));
  });

  it('json, sarif and github name the Python file too', () => {
    const json = JSON.parse(run('--format', 'json', 't').out) as Array<{ file: string; diagnostics: unknown[] }>;
    assert.deepEqual(
      json.map((f) => [f.file, f.diagnostics.length]),
      [
        [join('t', 'config.yaml'), 0],
        [join('t', 'src', 'model.py'), 2],
      ],
    );
    const sarif = run('--format', 'sarif', 't').out;
    assert.ok(sarif.includes('"uri": "t/src/model.py"'), sarif.slice(0, 400));
    assert.ok(sarif.includes('"ruleId": "undeclared-secret-read"'));
    const github = run('--format', 'github', 't').out;
    assert.match(github, /::warning file=t\/src\/model\.py,line=7,col=32,/);
  });

  it('--fix declares the exact name that has no close declared one, and renames nothing', () => {
    const r = run('--fix', 't');
    assert.equal(readFileSync(join(dir, 't', 'config.yaml'), 'utf8'), `${CONFIG}  openai_key: null\n`);
    assert.equal(readFileSync(join(dir, 't', 'src', 'model.py'), 'utf8'), MODEL);
    assert.match(r.err, /t\/src\/model\.py:6: not fixed: undeclared-secret-read: not sure/);
    assert.match(r.err, /fixed 1 problem in 1 file \(undeclared-secret-read ×1\)/);
  });
});
