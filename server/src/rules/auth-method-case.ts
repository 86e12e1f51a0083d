import { isMap, isScalar, isSeq } from 'yaml';
import { nodeAt } from '../core/yaml/cursor';
import { replaceScalar } from '../core/yaml/edit';
import { AUTH_METHODS, WEIGHTS_AUTH_FIELDS } from '../core/truss/facts';
import { findPair } from '../core/yaml/query';
import { exactly } from '../core/yaml/query';
import { code, defineRule } from '../core/rule';

const WEIGHTS_METHODS = Object.keys(WEIGHTS_AUTH_FIELDS);

export const authMethodCase = defineRule({
  name: 'auth-method-case',
  codes: {
    'auth-method-case': code<{ expected: string }>({
      severity: 'information',
      fix: 'safe',
      summary:
        'An `auth_method` (of `docker_auth` or `weights[].auth`) not in upper case: truss accepts it, the ' +
        'published schema does not.',
      source: '`DockerAuthSettings._normalize_auth_method` vs truss/config.schema.json',
      docs: {
        description:
          'Truss upper-cases `auth_method` before validating it (`DockerAuthSettings._normalize_auth_method`), so ' +
          '`aws_oidc` loads and pushes like `AWS_OIDC`. The JSON schema truss publishes (`truss/config.schema.json`, ' +
          'the one `truss init` links in its `# yaml-language-server: $schema=...` comment) lists the values in ' +
          'upper case only, so editors that use the schema mark any other spelling as an error. The same holds for ' +
          '`weights[].auth.auth_method`. Nothing fails on Baseten: this only keeps the file valid against the schema.',
        bad: `model_name: my-model
base_image:
  image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/my-image:latest
  docker_auth:
    auth_method: aws_oidc
    registry: 123456789012.dkr.ecr.us-west-2.amazonaws.com
    aws_oidc_role_arn: arn:aws:iam::123456789012:role/baseten-pull
    aws_oidc_region: us-west-2
`,
        good: `model_name: my-model
base_image:
  image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/my-image:latest
  docker_auth:
    auth_method: AWS_OIDC
    registry: 123456789012.dkr.ecr.us-west-2.amazonaws.com
    aws_oidc_role_arn: arn:aws:iam::123456789012:role/baseten-pull
    aws_oidc_region: us-west-2
`,
        fix: 'Rewrites the value in upper case (`aws_oidc` becomes `AWS_OIDC`).',
      },
    }),
  },
  check({ parsed, facts, report }) {
    const flag = (node: unknown, known: readonly string[]) => {
      if (!isScalar(node) || typeof node.value !== 'string') return;
      const upper = node.value.trim().toUpperCase();
      if (node.value === upper || !known.includes(upper)) return;
      report({
        code: 'auth-method-case',
        range: parsed.nodeRange(node)!,
        message:
          `Write \`${upper}\` in upper case: truss upper-cases it, but truss's published schema (and ` +
          `editors that use it) reject other spellings.`,
        data: { expected: upper },
      });
    };
    flag(facts.authMethod?.pair.value, AUTH_METHODS);
    const weights = exactly(parsed, ['weights'])?.node;
    if (!isSeq(weights)) return;
    for (const item of weights.items) {
      const entry = parsed.resolve(item);
      const auth = isMap(entry) ? parsed.resolve(findPair(entry, 'auth')?.value) : undefined;
      if (isMap(auth)) flag(findPair(auth, 'auth_method')?.value, WEIGHTS_METHODS);
    }
  },
  fixes: {
    'auth-method-case'(finding, { parsed }) {
      const at = nodeAt(parsed, parsed.offset(finding.range.start));
      const node = at?.part === 'value' && isScalar(at.node) ? at.node : undefined;
      const { expected } = finding.data;
      const edit = node ? replaceScalar(parsed, node, expected) : undefined;
      const intent = at ? [{ path: at.path, to: expected }] : [];
      return edit ? [{ title: `Change to \`${expected}\``, edits: [edit], preferred: true, safe: true, intent }] : [];
    },
  },
});
