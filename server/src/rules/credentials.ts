import { isAlias, isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import { credentialSpans, looksLikeCredential } from '../core/truss/credentials';
import { code, defineRule } from '../core/rule';
import { secretUses } from '../core/truss/secretUses';
import { DOCS } from '../core/types';
import type { ParsedDocument } from '../core/yaml/parse';

/** Sections other rules already check for credentials: `secrets` values and environment variables. */
const COVERED = new Set(['secrets', 'environment_variables']);

/**
 * Each credential in a comment of the document, as offsets. The comments are lexed only when some line,
 * read from its first `#` to its end, holds one: a comment is such a tail, or the end of one.
 */
function inComments(parsed: ParsedDocument): Array<{ start: number; end: number }> {
  const text = parsed.text;
  let suspect = false;
  for (let i = text.indexOf('#'); i >= 0 && !suspect;) {
    const eol = text.indexOf('\n', i);
    suspect = credentialSpans(text.slice(i, eol < 0 ? text.length : eol)).length > 0;
    i = eol < 0 ? -1 : text.indexOf('#', eol);
  }
  if (!suspect) return [];
  return parsed.comments.flatMap((c) =>
    credentialSpans(c.text).map((s) => ({ start: c.offset + s.start, end: c.offset + s.end })),
  );
}

export const credentials = defineRule({
  name: 'credentials',
  codes: {
    'credential-as-secret-name': code({
      severity: 'warning',
      summary:
        'A secret name (under `secrets`, or in a field that names a secret) that looks like the credential itself.',
      source:
        'docs.baseten.co/development/model/secrets: secrets are named in config.yaml, their values live in Baseten',
      href: DOCS.secrets,
      docs: {
        description:
          'Fields such as `secret_name`, `aws_access_key_id_secret_name` and `auth_secret_name`, and the keys ' +
          'under `secrets`, hold the *name* of a Baseten secret. A value that looks like a token, a key or a ' +
          'password there is most likely the credential pasted where its name belongs: `truss push` uploads it ' +
          'with the config, the file may be committed, and Baseten finds no secret by that name, so the image ' +
          'pull or the model fails too. Store the value as a Baseten secret and write its name here. The ' +
          'message never repeats the value.',
        bad: `model_name: llama
base_image:
  image: us-docker.pkg.dev/my-project/models/llama:1
  docker_auth:
    auth_method: GCP_SERVICE_ACCOUNT_JSON
    registry: us-docker.pkg.dev
    secret_name: Xk9vQ2mLp4RtY7nB1cF3hJ5sD8gZwE6u
secrets:
  Xk9vQ2mLp4RtY7nB1cF3hJ5sD8gZwE6u: null
`,
        good: `model_name: llama
base_image:
  image: us-docker.pkg.dev/my-project/models/llama:1
  docker_auth:
    auth_method: GCP_SERVICE_ACCOUNT_JSON
    registry: us-docker.pkg.dev
    secret_name: gcp-service-account
secrets:
  gcp-service-account: null
`,
      },
    }),
    'credential-in-config': code<{ section: string }>({
      severity: 'warning',
      summary:
        'A value that looks like a credential (a token, key or password) in `model_metadata`, `docker_server`, ' +
        '`build_commands`, `requirements` or another field: it is uploaded with the config.',
      source: 'docs.baseten.co/development/model/secrets; `model_metadata` is shown with the model',
      href: DOCS.secrets,
      docs: {
        description:
          '`truss push` uploads the whole `config.yaml`, and `model_metadata` (an example input, say) is shown ' +
          'with the model on Baseten. A token written into a start command, a build command, a requirement URL ' +
          '(`https://user:token@host/…`) or the metadata leaves your machine and often your repository too. ' +
          'Keep it as a Baseten secret: declare its name under `secrets` and read it at run time, from ' +
          '`/secrets/<name>` in a custom server. The rule knows the shapes of common tokens (GitHub, Hugging ' +
          'Face, AWS, OpenAI, Slack, GitLab, Google, NVIDIA, JWTs, private keys, Docker credentials) and flags ' +
          'other long random strings; the message never repeats the value.',
        bad: `model_name: my-server
docker_server:
  start_command: my-server --port 8000 --api-key Xk9vQ2mLp4RtY7nB1cF3hJ5sD8gZwE6u
  server_port: 8000
  predict_endpoint: /predict
  readiness_endpoint: /health
  liveness_endpoint: /health
`,
        good: `model_name: my-server
docker_server:
  start_command: sh -c "my-server --port 8000 --api-key $(cat /secrets/server_api_key)"
  server_port: 8000
  predict_endpoint: /predict
  readiness_endpoint: /health
  liveness_endpoint: /health
secrets:
  server_api_key: null
`,
      },
    }),
    'credential-in-comment': code({
      severity: 'warning',
      summary:
        'A comment that holds what looks like a credential: `truss push` uploads `config.yaml` as it is, ' +
        'comments included.',
      source: 'docs.baseten.co/development/model/secrets; `truss push` uploads the file as it is',
      href: DOCS.secrets,
      docs: {
        description:
          'A comment is not read by truss, but it is part of the file: `truss push` uploads `config.yaml` ' +
          'with every comment in it, and a committed file carries them into the repository. A token left in ' +
          'a comment (an old value commented out, a note of which key to use) leaks as surely as one in a ' +
          'value. The rule looks for the same shapes as `credential-in-config` in every comment, and reports ' +
          'the token itself; the message never repeats it. Revoke the token if the file was shared, keep it ' +
          'as a Baseten secret, and delete it from the comment.',
        bad: `model_name: my-model
# Old key, keep until the rotation: Xk9vQ2mLp4RtY7nB1cF3hJ5sD8gZwE6u
secrets:
  hf_access_token: null
`,
        good: `model_name: my-model
# The key is the Baseten secret hf_access_token.
secrets:
  hf_access_token: null
`,
      },
    }),
  },
  check({ parsed, facts, report }) {
    for (const { start, end } of inComments(parsed)) {
      report({
        code: 'credential-in-comment',
        range: parsed.range(start, end),
        message:
          'This comment holds what looks like a credential: `truss push` uploads `config.yaml` as it is, ' +
          'comments included. Delete it from the file, keep it as a Baseten secret, and revoke it if the ' +
          'file was shared.',
      });
    }
    const names = new Set<Node>();
    for (const o of secretUses(parsed, facts)) {
      if (!o.node || o.inText) continue;
      names.add(o.node);
      if (!looksLikeCredential(o.name)) continue;
      report({
        code: 'credential-as-secret-name',
        range: o.range,
        message:
          `This looks like the credential itself, not the name of a Baseten secret (at \`${o.where}\`). Store ` +
          'the value as a Baseten secret, write its name here, and remove the value from the file.',
      });
    }
    const root = parsed.rootMap;
    if (!root) return;
    const flag = (node: Scalar, section: string) => {
      const range = parsed.nodeRange(node);
      if (!range) return;
      const shown = section === 'model_metadata' ? ', and `model_metadata` is shown with the model on Baseten' : '';
      report({
        code: 'credential-in-config',
        range,
        message:
          `This value in \`${section}\` looks like a credential: \`truss push\` uploads it with the config${shown}. ` +
          'Keep it as a Baseten secret, declare its name under `secrets`, and read it at run time.',
        data: { section },
      });
    };
    // Aliases are not followed: the node they name is walked where it is written.
    const walk = (n: unknown, section: string, depth: number): void => {
      if (depth > 64 || !n || isAlias(n)) return;
      if (isScalar(n)) {
        if (typeof n.value === 'string' && !names.has(n) && looksLikeCredential(n.value)) flag(n, section);
      } else if (isMap(n)) {
        for (const pair of n.items) {
          walk(pair.key, section, depth + 1);
          walk(pair.value, section, depth + 1);
        }
      } else if (isSeq(n)) {
        for (const item of n.items) walk(item, section, depth + 1);
      }
    };
    for (const pair of root.items) {
      const section = isScalar(pair.key) ? String(pair.key.value) : '';
      if (COVERED.has(section) || names.has(pair.key as Node)) continue;
      walk(pair.value, section, 0);
    }
  },
});
