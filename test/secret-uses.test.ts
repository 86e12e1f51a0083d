/**
 * One computation of "where is this secret used" feeds missing-secret, hover, references, rename and
 * completion: they must agree on every config of ours.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { secretUses } from '../server/src/core/truss/secretUses';
import { analyze } from '../server/src/engine/analyze';
import { complete } from '../server/src/features/complete';
import { hover } from '../server/src/features/hover';
import { references, rename } from '../server/src/features/navigation';
import { goldens, ruleCases } from './ruleFiles';
import { applyEdits } from './text';

const IAM =
  'model_name: m\nbase_image:\n  image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/app:1\n  docker_auth:\n' +
  '    auth_method: AWS_IAM\n    registry: 123456789012.dkr.ecr.us-west-2.amazonaws.com\n' +
  'secrets:\n  aws_access_key_id: null\n  aws_secret_access_key: null\n';

describe('secret uses', () => {
  it('hover says "not referenced" exactly when references finds no use', () => {
    let declared = 0;
    for (const doc of [...ruleCases(), ...goldens().map((g) => ({ name: g.name, text: g.input }))]) {
      const a = analyze(doc.text, { detect: 'always' });
      for (const e of a.facts.secretEntries) {
        const range = a.parsed.keyRange(e.pair);
        const refs = references(a, range.start, false);
        const text = hover(a, range.start)?.markdown ?? '';
        declared++;
        assert.equal(text.includes('not referenced'), refs.length === 0, `${doc.name}: ${e.name}`);
      }
    }
    assert.ok(declared > 30, `${declared} declared secrets`);
  });

  it('lists AWS_IAM’s default names as uses, and renaming one writes the field that names it', () => {
    const a = analyze(IAM);
    assert.deepEqual(a.findings, []);
    const at = a.parsed.keyRange(a.facts.secretEntries[0].pair).start;
    const refs = references(a, at, false);
    assert.equal(refs.length, 1, 'the implicit use by auth_method');
    assert.equal(refs[0].range.start.line, 4);
    const edit = rename(a, at, 'ecr_key_id');
    assert.ok('edits' in edit);
    const out = applyEdits(IAM, edit.edits);
    assert.match(out, /\n {4}aws_access_key_id_secret_name: ecr_key_id\n/);
    assert.match(out, /\n {2}ecr_key_id: null\n/);
    assert.deepEqual(analyze(out).findings, [], 'still clean after the rename');
  });

  it('finds the secrets read by weights, model_cache, a TRT-LLM checkpoint, builds and /secrets/ paths', () => {
    const text = [
      'model_name: m',
      'weights:',
      '  - source: s3://bucket/model',
      '    mount_location: /models/m',
      '    auth_secret_name: s3_creds',
      'trt_llm:',
      '  build:',
      '    checkpoint_repository:',
      '      source: HF',
      '      repo: org/model',
      '      runtime_secret_name: hf_token',
      'build:',
      '  secret_to_path_mapping:',
      '    pip_token: /run/secrets/pip',
      'build_commands:',
      '  - pip install --index-url "$(cat /secrets/pip_token)" pkg',
      'docker_server:',
      '  start_command: sh -c "HF_TOKEN=$(cat /secrets/hf_token) serve"',
      '  server_port: 8000',
      '  predict_endpoint: /v1/chat',
      '  readiness_endpoint: /health',
      '  liveness_endpoint: /health',
      '',
    ].join('\n');
    const a = analyze(text);
    const uses = secretUses(a.parsed, a.facts).map((u) => `${u.name} ${u.where}`);
    assert.deepEqual(uses, [
      's3_creds weights[].auth_secret_name',
      'hf_token trt_llm.build.checkpoint_repository.runtime_secret_name',
      'pip_token build.secret_to_path_mapping',
      'hf_token docker_server.start_command',
      'pip_token build_commands',
    ]);
    const missing = a.findings.filter((f) => f.code === 'missing-secret');
    assert.equal(missing.length, 5);
    assert.ok(missing.every((f) => f.severity === 'warning'));
    // The range of a /secrets/ read is the name in the command.
    const read = missing.find((f) => f.range.start.line === 17)!;
    const line = text.split('\n')[17];
    assert.equal(line.slice(read.range.start.character, read.range.end.character), 'hf_token');
    // Completion under `secrets:` offers the names read and not declared.
    const withSecrets = `${text}secrets:\n  \n`;
    const items = complete(analyze(withSecrets), { line: text.split('\n').length, character: 2 });
    assert.deepEqual(items.map((i) => i.label).sort(), ['hf_token', 'pip_token', 's3_creds']);
  });
});
