import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { closest, editDistance } from '../../server/src/core/truss/suggest';

describe('editDistance', () => {
  it('counts edits and adjacent swaps', () => {
    assert.equal(editDistance('registry', 'registry'), 0);
    assert.equal(editDistance('registy', 'registry'), 1);
    assert.equal(editDistance('regsitry', 'registry'), 1);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });
});

describe('closest', () => {
  it('finds typos and separator variants, best first', () => {
    assert.deepEqual(closest('hf-access-token', ['hf_access_token', 'other']), ['hf_access_token']);
    assert.deepEqual(closest('imge', ['image', 'python_executable_path', 'docker_auth']), ['image']);
    assert.deepEqual(closest('AWS_OIDX', ['AWS_OIDC', 'GCP_OIDC', 'AWS_IAM']), ['AWS_OIDC']);
    assert.deepEqual(closest('ab_cd_e', ['ab_cd_x', 'ab-cd-e']), ['ab-cd-e', 'ab_cd_x']);
  });
  it('suggests nothing far away or identical', () => {
    assert.deepEqual(closest('model_name', ['secrets', 'base_image']), []);
    assert.deepEqual(closest('a', ['a']), []);
  });
});
