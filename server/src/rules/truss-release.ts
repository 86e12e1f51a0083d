import { isScalar } from 'yaml';
import { code, defineRule } from '../core/rule';
import { NEWEST, pushRefusesUnknown, isNewer, keyItem, knows, lifetime, valueItem } from '../core/truss/release';
import { DOCS, type Range } from '../core/types';
import type { ParsedDocument } from '../core/yaml/parse';
import { keyPaths, locate } from '../core/yaml/query';

interface Seen {
  item: string;
  path: string[];
  range: Range;
  /** A value (an enum member, a python version), not a key. */
  value?: string;
}

/** Every key path of the document and every tracked value, with where it is written. */
function written(parsed: ParsedDocument): Seen[] {
  const out: Seen[] = [];
  const { at } = keyPaths(parsed);
  for (const [joined, offsets] of at) {
    const path = joined.split('\u0000');
    const found = locate(parsed, path);
    if (found.depth !== path.length) continue;
    const keyAt = parsed.range(offsets[offsets.length - 1], offsets[offsets.length - 1] + path[path.length - 1].length);
    out.push({ item: keyItem(path), path, range: keyAt });
    const node = found.found.node;
    if (isScalar(node) && typeof node.value === 'string') {
      const item = valueItem(path, node.value);
      const range = parsed.nodeRange(node);
      if (item && range) out.push({ item, path, range, value: node.value });
    }
  }
  return out;
}

export const trussRelease = defineRule({
  name: 'truss-release',
  codes: {
    'not-in-release': code({
      severity: 'error',
      summary: "A key or value that the user's truss does not know yet: a later release added it.",
      source: "truss's config model at each release (`TrussConfig`, `validate_forbid_extra`)",
      href: DOCS.reference,
      docs: {
        description:
          'Flags a key or a value that the truss you push with does not know: it was added in a later ' +
          'release. The checker judges by your truss (`trussConfig.truss.version`, the interpreter you ' +
          'chose, a `.venv` beside the config, `truss` on PATH, or `--truss-version`). From truss 0.9.90, ' +
          '`truss push` refuses an unknown key; an unknown value is refused by every release. Upgrade truss ' +
          '(`pip install -U truss`) or use what your release knows. Without a known release, the checker ' +
          'judges by the newest it knows and says nothing here.',
        bad: `model_name: my-model
base_image:
  image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/app:1
  docker_auth:
    auth_method: AWS_OIDC
    registry: 123456789012.dkr.ecr.us-west-2.amazonaws.com
    aws_oidc_role_arn: arn:aws:iam::123456789012:role/baseten-pull
    aws_oidc_region: us-west-2
`,
        good: `model_name: my-model
base_image:
  image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/app:1
  docker_auth:
    auth_method: AWS_IAM
    registry: 123456789012.dkr.ecr.us-west-2.amazonaws.com
secrets:
  aws_access_key_id: null
  aws_secret_access_key: null
`,
        release: '0.13.1',
      },
    }),
    'dropped-in-release': code({
      severity: 'information',
      summary: "A key or value that the user's truss accepts and a later release refuses.",
      source: "truss's config model at each release",
      href: DOCS.reference,
      docs: {
        description:
          'Your truss accepts this key or value, so nothing fails at push; a later release refuses it ' +
          '(`python_version: py38` from truss 0.12.0, for example). Move off it before you upgrade truss.',
        bad: `model_name: my-model
python_version: py38
`,
        good: `model_name: my-model
python_version: py311
`,
        release: '0.11.26',
      },
    }),
  },
  check({ parsed, release, report }) {
    if (!release || isNewer(release)) return;
    const all = written(parsed);
    // Under a key the release does not know, nothing more is said: the key is ignored or refused whole.
    const unknown = new Set(
      all.filter((s) => s.value === undefined && knows(s.item, release) === false).map((s) => s.path.join('\u0000')),
    );
    const under = (s: Seen) =>
      s.path.some(
        (_, i) =>
          (s.value !== undefined || i < s.path.length - 1) && unknown.has(s.path.slice(0, i + 1).join('\u0000')),
      );
    for (const seen of all) {
      if (under(seen)) continue;
      const there = knows(seen.item, release);
      const newest = knows(seen.item, NEWEST);
      const span = lifetime(seen.item);
      if (!span || there === undefined) continue;
      const what =
        seen.value !== undefined ? `\`${seen.path.join('.')}: ${seen.value}\`` : `\`${seen.path.join('.')}\``;
      if (!there && newest) {
        const ignored = seen.value === undefined && !pushRefusesUnknown(release);
        report({
          code: 'not-in-release',
          range: seen.range,
          severity: ignored ? 'warning' : undefined,
          message:
            `truss ${release} does not know ${what}: truss ${span.since} added it. ` +
            (ignored ? 'Your truss ignores it.' : 'Upgrade truss, or `truss push` refuses it.'),
        });
      } else if (there && !newest && span.until) {
        report({
          code: 'dropped-in-release',
          range: seen.range,
          message: `truss ${release} accepts ${what}; releases after truss ${span.until} refuse it.`,
        });
      }
    }
  },
});
