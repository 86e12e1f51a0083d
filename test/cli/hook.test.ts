/**
 * The pre-commit hook's declaration (.pre-commit-hooks.yaml) without pre-commit: which changed files
 * start it, and what the checker does with the project file alone, as the hook passes it. The hook as
 * pre-commit installs it is in test/integrations/pre-commit.test.ts.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { ROOT } from '../ruleFiles';

const [hook] = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Array<{ files: string }>;
// pre-commit matches `files` with Python's re.search; this pattern reads the same in JavaScript.
const starts = (path: string) => new RegExp(hook.files).test(path);

describe('pre-commit hook declaration', () => {
  it('runs on a config.yaml and on the project file, alone or not', () => {
    for (const path of ['config.yaml', 'm/config.yml', '.truss-config.yaml', 'a/b/.truss-config.yml'])
      assert.ok(starts(path), path);
    for (const path of ['other.yaml', 'myconfig.yaml', 'truss-config.yaml', '.truss-config.yaml.bak'])
      assert.ok(!starts(path), path);
  });

  it('the checker given only the project file checks it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'truss-hook-'));
    try {
      const cli = (...args: string[]) =>
        spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], { cwd: dir, encoding: 'utf8' });
      writeFileSync(join(dir, '.truss-config.yaml'), 'rules:\n  unknown-key: off\n');
      assert.equal(cli('.truss-config.yaml').status, 0);
      writeFileSync(join(dir, '.truss-config.yaml'), 'rules:\n  unknown-key: off\n  unknown-key: error\n');
      const r = cli('.truss-config.yaml');
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /^truss-config: \.truss-config\.yaml:2:3: Duplicate key `unknown-key` in `rules`/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
