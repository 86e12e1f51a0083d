import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { knownKeys, schemaAt } from '../../server/src/core/truss/schema';

// The top-level keys of TrussConfig (truss-config-spec.md §2), plus the deprecated alias hf_cache.
const TOP_LEVEL = [
  'model_name',
  'model_metadata',
  'description',
  'examples_filename',
  'data_dir',
  'external_data',
  'external_package_dirs',
  'python_version',
  'base_image',
  'requirements_file',
  'requirements',
  'system_packages',
  'environment_variables',
  'secrets',
  'resources',
  'runtime',
  'build',
  'build_commands',
  'docker_server',
  'model_cache',
  'weights',
  'trt_llm',
  'training_checkpoints',
  'bis_llm',
  'input_type',
  'model_framework',
  'model_type',
  'model_module_dir',
  'model_class_filename',
  'model_class_name',
  'bundled_packages_dir',
  'use_local_src',
  'cache_internal',
  'live_reload',
  'apply_library_patches',
  'spec_version',
  'hf_cache',
];

const DOCKER_AUTH = [
  'auth_method',
  'registry',
  'secret_name',
  'aws_access_key_id_secret_name',
  'aws_secret_access_key_secret_name',
  'aws_oidc_role_arn',
  'aws_oidc_region',
  'gcp_oidc_service_account',
  'gcp_oidc_workload_id_provider',
];

describe('schemas/truss-config.schema.json', () => {
  it('declares every top-level key of the Truss config, and no other', () => {
    assert.deepEqual([...knownKeys([])].sort(), [...TOP_LEVEL].sort());
  });
  it('declares the nine docker_auth fields, each documented', () => {
    assert.deepEqual([...knownKeys(['base_image', 'docker_auth'])].sort(), [...DOCKER_AUTH].sort());
    for (const key of DOCKER_AUTH) assert.ok(schemaAt(['base_image', 'docker_auth', key])?.markdownDescription, key);
  });
  it('documents the five auth methods', () => {
    const s = schemaAt(['base_image', 'docker_auth', 'auth_method'])!;
    assert.deepEqual(s.enum, ['GCP_SERVICE_ACCOUNT_JSON', 'AWS_IAM', 'AWS_OIDC', 'GCP_OIDC', 'REGISTRY_SECRET']);
    assert.equal(s.markdownEnumDescriptions?.length, 5);
  });
  it('documents base_image, image, python_executable_path and secrets', () => {
    for (const path of [
      ['base_image'],
      ['base_image', 'image'],
      ['base_image', 'python_executable_path'],
      ['secrets'],
      ['secrets', 'any_name'],
    ]) {
      assert.ok(schemaAt(path)?.markdownDescription, path.join('.'));
    }
  });
});
