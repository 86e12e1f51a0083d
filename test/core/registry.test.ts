import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { DOCKER_HUB_KEY, imageRegistry, sameRegistry } from '../../server/src/core/truss/registry';

describe('imageRegistry', () => {
  const cases: Array<[string, string, string, string]> = [
    // image, host, kind, secret key
    ['ubuntu', 'docker.io', 'dockerhub', DOCKER_HUB_KEY],
    ['vllm/vllm-openai:latest', 'docker.io', 'dockerhub', DOCKER_HUB_KEY],
    ['docker.io/library/python:3.11', 'docker.io', 'dockerhub', DOCKER_HUB_KEY],
    ['registry-1.docker.io/org/img', 'registry-1.docker.io', 'dockerhub', DOCKER_HUB_KEY],
    [
      '123456789012.dkr.ecr.us-west-2.amazonaws.com/app:1',
      '123456789012.dkr.ecr.us-west-2.amazonaws.com',
      'ecr',
      '123456789012.dkr.ecr.us-west-2.amazonaws.com',
    ],
    ['us-west2-docker.pkg.dev/p/r/i:1', 'us-west2-docker.pkg.dev', 'google', 'us-west2-docker.pkg.dev'],
    ['gcr.io/p/i', 'gcr.io', 'google', 'gcr.io'],
    ['eu.gcr.io/p/i', 'eu.gcr.io', 'google', 'eu.gcr.io'],
    ['ghcr.io/org/img:2', 'ghcr.io', 'ghcr', 'ghcr.io'],
    ['nvcr.io/nvidia/tritonserver:24.05-py3', 'nvcr.io', 'ngc', 'nvcr.io'],
    ['localhost:5000/img', 'localhost:5000', 'other', 'localhost:5000'],
    ['localhost/img', 'localhost', 'other', 'localhost'],
    ['public.ecr.aws/org/img', 'public.ecr.aws', 'other', 'public.ecr.aws'],
  ];
  for (const [image, host, kind, secretKey] of cases) {
    it(image, () => assert.deepEqual(imageRegistry(image), { host, kind, secretKey }));
  }
  it('has no registry for an empty image', () => assert.equal(imageRegistry('  '), undefined));
});

describe('sameRegistry', () => {
  const ecr = imageRegistry('123456789012.dkr.ecr.us-west-2.amazonaws.com/app')!;
  const hub = imageRegistry('org/app')!;
  it('ignores scheme, path and case', () => {
    assert.ok(sameRegistry('https://123456789012.dkr.ecr.us-west-2.amazonaws.com/', ecr));
    assert.ok(sameRegistry('123456789012.DKR.ecr.us-west-2.amazonaws.com', ecr));
  });
  it('knows every Docker Hub spelling', () => {
    for (const v of ['docker.io', 'index.docker.io', 'https://index.docker.io/v1/', 'registry-1.docker.io'])
      assert.ok(sameRegistry(v, hub), v);
    assert.ok(!sameRegistry('ghcr.io', hub));
  });
  it('tells registries apart', () => assert.ok(!sameRegistry('123456789012.dkr.ecr.us-east-1.amazonaws.com', ecr)));
});
