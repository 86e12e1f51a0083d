import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type Folder, detect as detection } from '../../server/src/core/truss/detect';
import { ParsedDocument } from '../../server/src/core/yaml/parse';
import { analyze } from '../../server/src/engine/analyze';
import { ROOT } from '../ruleFiles';

const detect = (text: string, mode?: 'auto' | 'always' | 'never', folder?: Folder) =>
  analyze(text, { detect: mode, folder }).truss;
const detectIn = (text: string, folder?: Folder) => detection(new ParsedDocument(text), folder);
const ISSUE_26 = 'model_name: bert-base-uncased\ndataset_dir: ./data/processed\noutput_dir: ./outputs\n';
const SHARED = join(ROOT, '..', 'shared');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? yamlFiles(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

describe('detect', () => {
  it('accepts a config whose keys speak for Truss', () => {
    assert.ok(detect('model_name: m\nmodel_metadata:\n  example_model_input: {}\n'));
    assert.ok(detect('python_version: py311\nmodel_name: m\nfoo: 1\n'), 'python_version: py3xx is strong evidence');
    assert.ok(detect('model_name: m\ntrt_llm:\n  build:\n    base_model: decoder\nfoo: 1\n'));
    assert.ok(detect('model_name: m\nbase_image:\n  image: python:3.11\n'));
    assert.ok(
      detect('model_name: m\nbase_image: python:3.11\nsecrets: {}\n'),
      'a Truss key in the wrong shape still counts',
    );
  });
  it('rejects other config.yaml files, even those that share Truss key names', () => {
    assert.ok(!detect('server:\n  port: 8080\nlogging:\n  level: info\ndb: x\n'));
    assert.ok(!detect('apiVersion: v1\nkind: Pod\nmetadata: {}\nsecrets: {}\n'));
    const hydra =
      'defaults:\n  - _self_\nseed: 42\nmodel_name: bert\ndescription: x\nresources:\n  gpus: 1\n  nodes: 1\n';
    assert.ok(!detect(hydra), 'Hydra: three of five keys are Truss names, but the file is not Truss');
    const lambda =
      'region: us-east-1\nfunction_name: f\nhandler: service.handler\ndescription: d\nruntime: python3.8\n';
    assert.ok(!detect(lambda), 'python-lambda: description and runtime as a string');
    assert.ok(!detect(''), 'an empty file has no keys');
    assert.ok(!detect('- a\n- b\n'));
  });
  it('never takes keys other tools share for a Truss config on their own, without a Truss folder', () => {
    assert.ok(!detect(ISSUE_26), 'issue 26: model_name, dataset_dir, output_dir');
    assert.ok(!detect('model_name: Test Async\n'), 'a lone model_name');
    const shared =
      'model_name: m\nresources:\n  cpu: "1"\n  memory: 2Gi\nsecrets:\n  hf_token: null\n' +
      'environment_variables:\n  A: "1"\nrequirements:\n  - torch\ndescription: d\n';
    assert.ok(!detect(shared), 'six shared keys in Truss shape count +2 together');
    assert.equal(detectIn(shared).score, 2);
  });
  it('never counts a typo of a Truss key as evidence', () => {
    // Each typo would have counted +1: model_name +1 and two typos made 3.
    assert.ok(!detect('model_name: m\npython_versoin: py311\nrequirments: [torch]\n'));
    assert.equal(detectIn('model_name: m\ndataset_dir: d\n').score, 1);
    assert.equal(detectIn('model_name: m\nrequirments: [torch]\nsecretss: {}\n').score, 1);
  });
  it('takes the folder as evidence: the model code and packages/, not data/', () => {
    const modelCode = (path: string) => path === 'model/model.py';
    assert.ok(detect('model_name: m\n', 'auto', modelCode), 'a lone model_name beside model/model.py');
    assert.ok(detect('model_name: m\npython_versoin: py311\n', 'auto', modelCode), 'typos are checked in a Truss');
    assert.ok(!detect('model_name: m\n', 'auto', () => false));
    assert.ok(!detect('model_name: m\nresources: {cpu: "1"}\n', 'auto', (p) => p === 'data'), 'ML repos have data/');
    assert.ok(detect('model_name: m\nresources: {cpu: "1"}\n', 'auto', (p) => p === 'packages'));
    assert.ok(detect('model_name: m\nfoo: 1\n', 'auto', modelCode), 'a stray key in a Truss is reported');
    assert.ok(!detect('defaults: []\nmodel_name: m\n', 'auto', modelCode), 'keys that speak against it still count');
    // The paths asked are the config's own.
    const asked: string[] = [];
    const custom =
      'model_name: m\nmodel_module_dir: ./src/\nmodel_class_filename: serve.py\nbundled_packages_dir: lib\n';
    const found = detectIn(custom, (p) => (asked.push(p), p === 'src/serve.py'));
    assert.deepEqual(asked.sort(), ['lib', 'src/serve.py']);
    assert.ok(found.truss);
    assert.ok(!detectIn('model_name: m\n', (p) => p === 'src/serve.py').truss);
  });
  it("accepts truss's $schema modeline whatever the keys", () => {
    const modeline = '# yaml-language-server: $schema=https://raw.githubusercontent.com/basetenlabs/truss/main/truss/';
    assert.ok(detect(`${modeline}config.schema.json\nfoo: 1\n`));
    assert.ok(!detect('# yaml-language-server: $schema=https://json.schemastore.org/github-workflow.json\nfoo: 1\n'));
  });
  it('can be forced either way', () => {
    assert.ok(detect('foo: 1\n', 'always'));
    assert.ok(!detect('model_metadata: {}\npython_version: py311\n', 'never'));
  });
  it("says why, with the score and what made it, naming no key of the file but Truss's", () => {
    assert.equal(
      detectIn(ISSUE_26).reason,
      'score 0 of 3: model_name +1, 1 other key -1, 1 key close to a Truss key 0; no folder',
    );
    assert.equal(
      detectIn(ISSUE_26, () => false).reason,
      'score 0 of 3: model_name +1, 1 other key -1, 1 key close to a Truss key 0; ' +
        'no model/model.py or packages/ beside it',
    );
    assert.equal(
      detectIn('model_name: m\nresources: {cpu: "1"}\n', (p) => p === 'model/model.py').reason,
      'score 5 of 3: model/model.py +3, model_name/resources +2',
    );
    assert.equal(
      detectIn('python_version: py311\ndefaults: []\nmodel_name: m\n').reason,
      'score 1 of 3: python_version +3, defaults -3, model_name +1; no folder',
    );
    // A key of the file that is no Truss key is counted, never named: it may be a credential.
    const token = 'hf_' + 'a'.repeat(34);
    const reason = detectIn(`model_name: m\n${token}: 1\npython_version: py311\n`).reason;
    assert.equal(reason, 'score 3 of 3: python_version +3, model_name +1, 1 other key -1');
  });
});

describe('detection on real files', { skip: !existsSync(join(SHARED, 'corpus')) && 'no ../shared/corpus' }, () => {
  it('checks every Truss config of the corpus beside its model code, alone those with a key only Truss uses', () => {
    const files = yamlFiles(join(SHARED, 'corpus'));
    const modelCode = (path: string) => path === 'model/model.py';
    assert.deepEqual(
      files.filter((f) => !detect(readFileSync(f, 'utf8'), 'auto', modelCode)),
      [],
    );
    // Alone, a config is missed only when all its keys are ones other tools share (truss's own test data).
    const missed = files.filter((f) => !detect(readFileSync(f, 'utf8')));
    const distinctive = missed.filter((f) => /\+3/.test(detectIn(readFileSync(f, 'utf8')).reason));
    assert.deepEqual(distinctive, []);
  });
  it('says nothing at all about any file of the negative corpus', () => {
    const dir = join(SHARED, 'corpus-negative');
    const files = yamlFiles(dir);
    assert.ok(files.length >= 100, `${files.length} files`);
    const spoken = files.filter((f) => analyze(readFileSync(f, 'utf8')).findings.length > 0);
    assert.deepEqual(spoken, []);
  });
});
