/** Per-release facts (core/truss/release.ts): the generated data fresh, and asked by version. */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  checksTypes,
  compareVersions,
  firstAfter,
  holds,
  ignoresUnknownUnder,
  isNewer,
  kindFrom,
  kindsIn,
  knows,
  lifetime,
  NEWEST,
  requiredOnlyIn,
} from '../../server/src/core/truss/release';
import { RELEASES_FILE, releasesSource } from '../../scripts/releases.mjs';
import { ROOT } from '../ruleFiles';

const VERSIONS = join(ROOT, '..', 'shared', 'reference', 'truss-versions');

describe('truss releases', () => {
  it('releases.ts is what npm run releases compiles from truss-versions', (t) => {
    if (!existsSync(join(VERSIONS, 'since.tsv'))) return t.skip('../shared/reference/truss-versions is absent');
    assert.equal(readFileSync(join(ROOT, RELEASES_FILE), 'utf8'), releasesSource(VERSIONS, ROOT));
  });

  it('compares versions part by part', () => {
    assert.equal(compareVersions('0.9.100', '0.9.99'), 1);
    assert.equal(compareVersions('v0.13.2', '0.13.2'), 0);
    assert.equal(compareVersions('0.13.1', '0.13.2'), -1);
    assert.equal(compareVersions('0.14.0rc1', '0.14.0'), 0);
  });

  it('knows when each auth method, accelerator and python version came and went', () => {
    assert.equal(knows('enum:DockerAuthType=AWS_OIDC', '0.13.1'), false);
    assert.equal(knows('enum:DockerAuthType=AWS_OIDC', '0.13.2'), true);
    assert.equal(knows('enum:DockerAuthType=AWS_OIDC', '0.13.3'), true, 'a version between releases we list');
    assert.equal(knows('enum:DockerAuthType=REGISTRY_SECRET', '0.15.2'), false);
    assert.equal(knows('enum:Accelerator=GB300', '0.18.22'), false);
    assert.equal(knows('python:py38', '0.11.26'), true);
    assert.equal(knows('python:py38', '0.12.0'), false);
    assert.deepEqual(lifetime('python:py38'), { since: '0.9.50', until: '0.11.26' });
    assert.deepEqual(lifetime('enum:DockerAuthType=AWS_OIDC'), { since: '0.13.2', until: undefined });
  });

  it("knows each release's checks: required keys, unchecked types, mappings that drop unknown keys", () => {
    assert.equal(holds('required:trt_llm.build.max_seq_len', '0.9.67'), true);
    assert.equal(holds('required:trt_llm.build.max_seq_len', '0.9.68'), false);
    assert.equal(firstAfter('required:model_cache[].use_volume', '0.9.90'), '0.11.24');
    assert.equal(holds('required:no.such.key', '0.9.68'), undefined);
    assert.ok(requiredOnlyIn('0.9.60').some((p) => p.join('.') === 'trt_llm.build.max_seq_len'));
    assert.deepEqual(requiredOnlyIn(NEWEST), []);
    // TrussConfig became a pydantic model in 0.9.78; its trt_llm part was one before.
    assert.equal(checksTypes(['spec_version'], '0.9.77'), false);
    assert.equal(checksTypes(['spec_version'], '0.9.78'), true);
    assert.equal(checksTypes(['trt_llm', 'build'], '0.9.50'), true);
    assert.equal(ignoresUnknownUnder(['runtime'], '0.9.89'), true, 'before validate_forbid_extra');
    assert.equal(ignoresUnknownUnder(['runtime'], '0.9.90'), false);
    assert.equal(ignoresUnknownUnder(['trt_llm', 'runtime'], '0.9.90'), true, 'a model that drops unknown keys');
    assert.equal(ignoresUnknownUnder(['trt_llm', 'runtime'], NEWEST), false);
    assert.equal(holds('raised:trt-llm-base-model-renamed', '0.12.0'), false);
    assert.equal(holds('raised:trt-llm-base-model-renamed', '0.12.1'), true);
    assert.equal(holds('raised:trt-llm-external-draft-discontinued', '0.10.8'), false);
    assert.equal(firstAfter('raised:trt-llm-external-draft-discontinued', '0.10.8'), '0.10.9');
    assert.equal(holds('raised:docker-server-newline', '0.12.1'), true);
    assert.equal(firstAfter('raised:docker-server-newline', '0.12.1', false), '0.12.2');
    assert.equal(holds('raised:trt-llm-serve-or-build', '0.9.53'), true);
    assert.equal(holds('raised:trt-llm-serve-or-build', '0.9.55'), false);
  });

  it('knows the kinds of value each release takes in a mapping of free keys', () => {
    const patch = ['trt_llm', 'runtime', 'patch_kwargs', '{}'];
    const at = (v: string) => kindsIn(v).find((k) => k.path.join('.') === patch.join('.'));
    assert.deepEqual(at('0.9.114')?.kinds, ['bool', 'dict', 'float', 'int', 'str']);
    assert.deepEqual(at('0.9.114')?.newest, ['bool', 'dict', 'float', 'int', 'list', 'null', 'str']);
    assert.equal(at('0.9.113'), undefined, 'patch_kwargs came in 0.9.114');
    assert.equal(kindFrom(patch, 'null', '0.9.114'), '0.10.0');
    assert.equal(kindFrom(patch, 'list', '0.9.114'), '0.10.5');
  });

  it('says nothing of a release newer than its data, nor of an item it has no data for', () => {
    assert.equal(isNewer('99.0.0'), true);
    assert.equal(knows('enum:Accelerator=A10G', '99.0.0'), undefined);
    assert.equal(knows('enum:Accelerator=NEW9000', NEWEST), undefined);
  });
});
