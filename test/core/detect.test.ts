import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isTrussConfig } from '../../server/src/core/truss/detect';
import { ParsedDocument } from '../../server/src/core/yaml/parse';
import { analyze } from '../../server/src/engine/analyze';
import { ROOT } from '../ruleFiles';

const detect = (text: string, mode?: 'auto' | 'always' | 'never') => isTrussConfig(new ParsedDocument(text), mode);
const SHARED = join(ROOT, '..', 'shared');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? yamlFiles(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

describe('isTrussConfig', () => {
  it('accepts a config whose keys speak for Truss', () => {
    assert.ok(detect('model_name: m\nresources:\n  cpu: "1"\n'));
    assert.ok(detect('model_name: Test Async\n'), 'a lone model_name, as in truss’s own test configs');
    assert.ok(detect('secrets:\n  a: null\n'));
    assert.ok(detect('model_name: m\nsecrets: [a, b]\n'), 'a Truss key in the wrong shape is a mistake to report');
    assert.ok(detect('python_version: py311\nfoo: 1\nbar: 2\n'), 'python_version: py3xx is strong evidence');
    assert.ok(detect('model_name: m\npython_versoin: py311\nrequirments: [torch]\n'), 'typos of Truss keys');
    assert.ok(detect('trt_llm:\n  build:\n    base_model: decoder\nfoo: 1\n'));
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
  it("accepts truss's $schema modeline whatever the keys", () => {
    const modeline = '# yaml-language-server: $schema=https://raw.githubusercontent.com/basetenlabs/truss/main/truss/';
    assert.ok(detect(`${modeline}config.schema.json\nfoo: 1\n`));
    assert.ok(!detect('# yaml-language-server: $schema=https://json.schemastore.org/github-workflow.json\nfoo: 1\n'));
  });
  it('can be forced either way', () => {
    assert.ok(detect('foo: 1\n', 'always'));
    assert.ok(!detect('model_name: m\n', 'never'));
  });
});

describe('detection on real files', { skip: !existsSync(join(SHARED, 'corpus')) && 'no ../shared/corpus' }, () => {
  it('checks every Truss config of the corpus', () => {
    const missed = yamlFiles(join(SHARED, 'corpus')).filter((f) => !detect(readFileSync(f, 'utf8')));
    assert.deepEqual(missed, []);
  });
  it('says nothing at all about any file of the negative corpus', () => {
    const dir = join(SHARED, 'corpus-negative');
    const files = yamlFiles(dir);
    assert.ok(files.length >= 100, `${files.length} files`);
    const spoken = files.filter((f) => analyze(readFileSync(f, 'utf8')).findings.length > 0);
    assert.deepEqual(spoken, []);
  });
});
