import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { isTrussConfig } from '../../server/src/core/detect';
import { ParsedDocument } from '../../server/src/core/parse';

const detect = (text: string, mode?: 'auto' | 'always' | 'never') => isTrussConfig(new ParsedDocument(text), mode);

describe('isTrussConfig', () => {
  it('accepts a config whose top-level keys are mostly Truss keys', () => {
    assert.ok(detect('model_name: m\nresources:\n  cpu: "1"\n'));
    assert.ok(detect('model_name: m\nfoo: 1\n'), 'half is enough');
    assert.ok(detect('secrets:\n  a: null\n'));
  });
  it('rejects other config.yaml files', () => {
    assert.ok(!detect('server:\n  port: 8080\nlogging:\n  level: info\ndb: x\n'));
    assert.ok(!detect('apiVersion: v1\nkind: Pod\nmetadata: {}\nsecrets: {}\n'), 'one key in four is not enough');
    assert.ok(!detect(''), 'an empty file has no keys');
    assert.ok(!detect('- a\n- b\n'));
  });
  it("accepts truss's $schema modeline whatever the keys", () => {
    assert.ok(
      detect(
        '# yaml-language-server: $schema=https://raw.githubusercontent.com/basetenlabs/truss/main/truss/config.schema.json\nfoo: 1\n',
      ),
    );
    assert.ok(!detect('# yaml-language-server: $schema=https://json.schemastore.org/github-workflow.json\nfoo: 1\n'));
  });
  it('can be forced either way', () => {
    assert.ok(detect('foo: 1\n', 'always'));
    assert.ok(!detect('model_name: m\n', 'never'));
  });
});
