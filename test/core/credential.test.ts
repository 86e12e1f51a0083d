import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { registryCredential } from '../../client/src/registryCredential';
import { redactCredentials } from '../../server/src/core/truss/credentials';
import { credentialUser, registryOfSecret } from '../../server/src/core/truss/registry';

describe('registry credential', () => {
  it('is base64 of user:password, as `echo -n user:password | base64` prints it', () => {
    assert.equal(registryCredential('user', 'password'), 'dXNlcjpwYXNzd29yZA==');
    assert.equal(registryCredential('AWS', 'eyJwYXlsb2Fk'), 'QVdTOmV5SndZWGxzYjJGaw==');
    assert.equal(
      Buffer.from(registryCredential('$oauthtoken', 'nvapi-xyz'), 'base64').toString(),
      '$oauthtoken:nvapi-xyz',
    );
    assert.equal(
      Buffer.from(registryCredential('jürgen', 'pässwörd:with:colons'), 'base64').toString('utf8'),
      'jürgen:pässwörd:with:colons',
    );
  });
  it('pre-fills the user name a registry dictates', () => {
    assert.equal(credentialUser(registryOfSecret('123456789012.dkr.ecr.us-west-2.amazonaws.com').kind), 'AWS');
    assert.equal(credentialUser(registryOfSecret('nvcr.io').kind), '$oauthtoken');
    assert.equal(credentialUser(registryOfSecret('https://index.docker.io/v1/').kind), undefined);
    assert.equal(registryOfSecret('https://index.docker.io/v1/').kind, 'dockerhub');
  });
});

describe('redactCredentials', () => {
  it('redacts what a case-insensitive shape finds, whatever its case', () => {
    const out = redactCredentials('at HTTPS://deploy:hunter2pass@git.example.com/x');
    assert.ok(!out.includes('hunter2pass'), out);
    const key = redactCredentials('AWS_SECRET_ACCESS_KEY=abcdefghijABCDEFGHIJ0123456789abcdefghij');
    assert.ok(!key.includes('abcdefghijABCDEFGHIJ'), key);
  });

  it('redacts an AWS secret access key inside a longer run, as in a path a fix writes', () => {
    const secret = 'q7VX2mK9/pL4wR8tY1nB+6cF3hJ5sD0gZaWs2Xe4';
    for (const text of [`Change to \`/${secret}\``, `at /opt/${secret}/bin`, `${secret}`]) {
      const out = redactCredentials(text);
      assert.ok(!out.includes('pL4wR8tY1nB'), out);
    }
    const path = '/usr/local/lib/python3.11/site-packages/torch/bin/python3';
    assert.equal(redactCredentials(`Change to \`${path}\``), `Change to \`${path}\``);
  });
});
