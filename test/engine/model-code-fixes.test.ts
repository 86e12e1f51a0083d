/**
 * The fixes of a finding in the model code: declaring the secret edits config.yaml, reading the close
 * declared name edits the Python file; both are verified with the config analysed again on the result.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Analysis } from '../../server/src/core/analysis';
import type { Finding } from '../../server/src/core/types';
import { analyze } from '../../server/src/engine/analyze';
import { fixAll } from '../../server/src/engine/fixAll';
import { fixesFor, suppressFix } from '../../server/src/engine/fixes';
import { verify } from '../../server/src/engine/verify';
import { rename } from '../../server/src/features/navigation';
import { applyEdits } from '../text';
import { IN_TRUSS } from '../annotations';

const CONFIG = 'model_name: m\n# the secrets\nsecrets:\n  hf_access_token: null  # for the weights\n';
const MODEL =
  'class Model:\n    def __init__(self, **kwargs):\n        self._secrets = kwargs["secrets"]\n\n' +
  '    def load(self):\n        a = self._secrets["hf_acess_token"]\n        b = self._secrets.get("openai_key")\n';
const code = { files: [{ path: 'model/model.py', text: MODEL }] };

function finding(a: Analysis, name: string): Finding {
  const f = a.findings.find((x) => x.code === 'undeclared-secret-read' && (x.data as { name: string }).name === name);
  assert.ok(f, name);
  return f;
}

describe('fixes of a model code finding', () => {
  const a = analyze(CONFIG, { folder: IN_TRUSS, code });

  it('declares the secret in config.yaml, keeping its comments; the finding goes', () => {
    const fixes = fixesFor(a, finding(a, 'openai_key'));
    assert.deepEqual(
      fixes.map((f) => [f.title, !!f.safe, !!f.preferred]),
      [['Add `openai_key: null` to secrets in config.yaml', true, true]],
    );
    const text = applyEdits(CONFIG, fixes[0].edits);
    assert.equal(text, `${CONFIG}  openai_key: null\n`);
    const after = analyze(text, { folder: IN_TRUSS, code });
    assert.equal(after.findings.filter((f) => f.code === 'undeclared-secret-read').length, 1);
  });

  it('offers the close declared name first, as an edit of the Python file only', () => {
    const fixes = fixesFor(a, finding(a, 'hf_acess_token'));
    assert.deepEqual(
      fixes.map((f) => [f.title, !!f.safe, !!f.preferred]),
      [
        ['Read the declared secret `hf_access_token`', false, true],
        ['Add `hf_acess_token: null` to secrets in config.yaml', false, false],
      ],
    );
    const read = fixes[0];
    assert.deepEqual(read.edits, []);
    const edited = applyEdits(MODEL, read.files!['model/model.py']);
    assert.ok(edited.includes('self._secrets["hf_access_token"]'));
    assert.equal(verify(a, read, [finding(a, 'hf_acess_token')]).files?.['model/model.py'], edited);
  });

  it('refuses a Python edit that breaks a read, or edits a file outside the Truss', () => {
    const f = finding(a, 'hf_acess_token');
    const broken = {
      title: 'planted',
      edits: [],
      files: {
        'model/model.py': [{ range: { ...f.range, end: { line: f.range.end.line, character: 80 } }, newText: 'x' }],
      },
    };
    assert.match(verify(a, broken, [f]).refused ?? '', /would change what model\/model.py reads|still be reported/);
    const outside = { title: 'planted', edits: [], files: { '../other/model.py': [{ range: f.range, newText: 'x' }] } };
    assert.equal(verify(a, outside, [f]).refused, 'it edits a file outside the Truss');
  });

  it('offers no suppression comment in config.yaml for a Python finding', () => {
    assert.equal(suppressFix(a, finding(a, 'openai_key')), undefined);
  });

  it('--fix declares an exact name with no close declared one, and never renames', () => {
    const result = fixAll(CONFIG, { folder: IN_TRUSS, code });
    assert.equal(result.text, `${CONFIG}  openai_key: null\n`);
    assert.deepEqual(
      result.skipped.map((s) => [s.code, s.file, s.reason]),
      [['undeclared-secret-read', 'model/model.py', 'not sure to be what you mean: choose it in the editor']],
    );
  });

  it('renames across config.yaml and the Python files, verified; a rename that misses a read is refused', () => {
    const text = 'model_name: m\nsecrets:\n  hf_access_token: null  # for the weights\n';
    const model =
      'class Model:\n    def __init__(self, secrets):\n        self.s = secrets\n' +
      '        self.t = self.s["hf_access_token"]\n        self.p = open("/secrets/hf_access_token/x")\n';
    const helper = 'import os\nTOKEN = os.environ["TRUSS_SECRET_hf_access_token"]\n';
    const files = [
      { path: 'model/model.py', text: model },
      { path: 'packages/util.py', text: helper },
    ];
    const b = analyze(text, { folder: IN_TRUSS, code: { files } });
    const fromPython = rename(b, { line: 3, character: 25 }, 'hf_token', 'model/model.py');
    const fromConfig = rename(b, { line: 2, character: 4 }, 'hf_token');
    assert.ok('edits' in fromPython && 'edits' in fromConfig);
    assert.deepEqual(fromPython, fromConfig, 'the same edits from either file');
    assert.equal(applyEdits(text, fromPython.edits), text.replace('hf_access_token', 'hf_token'), 'comment kept');
    assert.equal(
      applyEdits(model, fromPython.files['model/model.py']),
      model.split('hf_access_token').join('hf_token'),
    );
    assert.equal(
      applyEdits(helper, fromPython.files['packages/util.py']),
      helper.replace('hf_access_token', 'hf_token'),
    );

    // Planted: the same rename missing one read of the code, or cutting a name in two; each refused.
    const missing = {
      title: 'planted',
      edits: fromPython.edits,
      intent: [{ path: ['secrets', 'hf_access_token'], renamedTo: 'hf_token' }],
      files: { 'model/model.py': fromPython.files['model/model.py'] },
    };
    assert.equal(verify(b, missing, []).refused, 'packages/util.py would still read the old name');
    const [first] = fromPython.files['model/model.py'];
    const cut = {
      title: 'planted',
      edits: [],
      files: {
        'model/model.py': [
          {
            range: {
              start: first.range.start,
              end: { ...first.range.start, character: first.range.start.character + 3 },
            },
            newText: 'x',
          },
        ],
      },
    };
    assert.equal(verify(b, cut, []).refused, 'it would change what model/model.py reads');
    const quote = {
      title: 'planted',
      edits: [],
      files: { 'model/model.py': [{ range: first.range, newText: 'a"b' }] },
    };
    assert.equal(verify(b, quote, []).refused, 'it would change what model/model.py reads');
    assert.deepEqual(rename(b, { line: 3, character: 25 }, 'a"b', 'model/model.py'), {
      refused: 'Secret names may use only letters, digits, `-`, `_` and `.` (`DOCKER_REGISTRY_…` names are exempt).',
    });
  });
});
