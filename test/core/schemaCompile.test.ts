import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { validateSchema } from '../../server/src/core/truss/schema';
import { compileSchema } from '../../server/src/core/truss/schemaCompile';

// The bundles validate with code ajv generated at build time (scripts/build-plugins.mjs):
// it must report exactly what compiling the schema now reports.
describe('the schema validator compiled at build time', () => {
  it('reports what a compile at run time reports', () => {
    const now = compileSchema();
    const values: unknown[] = [
      {},
      { model_name: 'm', secrets: { hf_token: null } },
      { foo: 1, model_name: 3, secrets: ['a'], resources: { cpu: 1, use_gpu: 'yes' } },
      { base_image: { image: 'x', docker_auth: { auth_method: 'AWS_OIDX', registy: 'r' } } },
      { base_image: { docker_auth: {} }, environment_variables: { A: 1 }, weights: [{}] },
    ];
    for (const value of values) {
      const expected = now(value) ? [] : (now.errors ?? []);
      const strip = (errors: object[]) => errors.map((e) => ({ ...e, schema: undefined, parentSchema: undefined }));
      assert.deepEqual(strip(validateSchema(value)), strip(expected), JSON.stringify(value));
    }
  });
});
