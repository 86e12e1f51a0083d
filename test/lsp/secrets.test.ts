import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../ruleFiles';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient, uri } from './client';

/** Values that must never leave the document through us. */
const SECRETS = [
  'hf_QwErTyUiOpAsDfGhJkLzXcVbNm1234567890',
  'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'dXNlcm5hbWU6c3VwZXJzZWNyZXRwYXNzd29yZA==', // base64 of username:supersecretpassword
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
  'sk-proj-abcdefghijklmnopqrstuvwxyz012345',
  '987654321', // a numeric secret value
];

const DOCS = [
  `model_name: m
secrets:
  hf_access_token: ${SECRETS[0]}
  github: "${SECRETS[1]}"
  aws_access_key_id: ${SECRETS[2]}
  aws_secret_access_key: '${SECRETS[3]}'
  DOCKER_REGISTRY_https://index.docker.io/v1/: ${SECRETS[4]}
  pin: ${SECRETS[7]}
base_image:
  image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/app:1
  docker_auth:
    auth_method: AWS_IAM
    registry: 123456789012.dkr.ecr.us-west-2.amazonaws.com
`,
  `model_name: m
environment_variables:
  HF_TOKEN: ${SECRETS[0]}
  OPENAI_API_KEY: ${SECRETS[6]}
  PRIVATE_KEY: |
    -----BEGIN PRIVATE KEY-----
    ${SECRETS[5]}
    -----END PRIVATE KEY-----
  REGISTRY_AUTH: ${SECRETS[4]}
secrets:
  hf_access_token: null
`,
  // Secrets in odd places: keys that are wrong, a list, a duplicate, a broken line.
  `model_name: m
secrets:
  - ${SECRETS[0]}
model_metadata:
  token: ${SECRETS[1]}
secrets: {a: ${SECRETS[2]}, a: ${SECRETS[3]}
`,
];

function leaks(text: string): string[] {
  return SECRETS.filter((s) => text.includes(s) || text.includes(JSON.stringify(s).slice(1, -1)));
}

describe('no secret value leaves through the server or the checker', () => {
  it('not in diagnostics, hover, completion, code actions or logs', async () => {
    const client = await LspClient.start();
    let requests = 0;
    try {
      for (const text of DOCS) {
        const u = uri();
        const diagnostics = await client.open(u, text);
        const lines = text.split('\n');
        for (let line = 0; line < lines.length; line++) {
          for (let character = 0; character <= lines[line].length; character += 3) {
            const position = { line, character };
            await client.request('textDocument/hover', { textDocument: { uri: u }, position });
            await client.request('textDocument/completion', { textDocument: { uri: u }, position });
            requests += 2;
          }
          const range = { start: { line, character: 0 }, end: { line, character: lines[line].length } };
          const here = diagnostics.filter((d: Diagnostic) => d.range.start.line === line);
          const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
            textDocument: { uri: u },
            range,
            context: { diagnostics: here },
          });
          requests++;
          // An edit may keep the user's own text around it; a title, a command or a message may not hold a value.
          for (const a of actions)
            assert.deepEqual(leaks(JSON.stringify({ title: a.title, command: a.command })), [], a.title);
        }
      }
    } finally {
      await client.stop();
    }
    const answers = client.received.filter((m) => !m.includes('"documentChanges"'));
    assert.ok(requests > 500, `${requests} requests`);
    assert.deepEqual(leaks(answers.join('\n')), []);
    assert.deepEqual(leaks(client.logs.join('\n') + client.stderr), []);
  });

  it('not in the checker output, text or JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'truss-secrets-'));
    DOCS.forEach((text, i) => writeFileSync(join(dir, `config-${i}.yaml`), text));
    for (const format of ['text', 'json']) {
      const files = DOCS.map((_, i) => join(dir, `config-${i}.yaml`));
      const r = spawnSync(
        process.execPath,
        [join(ROOT, 'dist', 'cli.js'), '--format', format, '--detect', 'always', ...files],
        { encoding: 'utf8' },
      );
      assert.ok(r.stdout.length > 200, 'the checker reported findings');
      assert.deepEqual(leaks(r.stdout + r.stderr), [], format);
    }
  });
});
