import { isMap, isScalar } from 'yaml';
import { code, defineRule, orList } from '../core/rule';
import {
  NEWEST,
  firstAfter,
  holds,
  isNewer,
  keyItem,
  kindFrom,
  kindsIn,
  knows,
  lifetime,
  ignoresUnknownUnder,
  requiredItem,
  requiredOnlyIn,
  valueItem,
} from '../core/truss/release';
import { DOCS, type Range } from '../core/types';
import { isObj } from '../core/yaml/values';
import type { ParsedDocument } from '../core/yaml/parse';
import { keyPaths, locate, valueRangeAt } from '../core/yaml/query';

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
    'required-in-release': code({
      severity: 'error',
      summary: "A key the user's truss requires where later releases do not.",
      source: "truss's config model at each release (`Field required`)",
      href: DOCS.reference,
      docs: {
        description:
          'Your truss requires this key where it is missing, and refuses the file with `Field required`; a ' +
          'later release made it optional (`trt_llm.build.max_seq_len` until truss 0.9.67, for example). ' +
          'Write it, or upgrade truss.',
        bad: `model_name: my-model
resources:
  accelerator: H100
trt_llm:
  build:
    base_model: llama
    checkpoint_repository:
      repo: meta-llama/Llama-3.1-8B-Instruct
      source: HF
`,
        good: `model_name: my-model
resources:
  accelerator: H100
trt_llm:
  build:
    base_model: llama
    max_seq_len: 8192
    checkpoint_repository:
      repo: meta-llama/Llama-3.1-8B-Instruct
      source: HF
`,
        release: '0.9.60',
      },
    }),
    'type-in-release': code({
      severity: 'error',
      summary: "A kind of value the user's truss refuses where later releases take it.",
      source: "truss's config model at each release (`Input should be a valid …`)",
      href: DOCS.reference,
      docs: {
        description:
          'Your truss takes only some kinds of value in this mapping, and refuses the file with this one; a ' +
          'later release takes it (`trt_llm.runtime.patch_kwargs` took no `null` until truss 0.10.0, and no ' +
          'list until 0.10.5, for example). Write another kind of value, or upgrade truss.',
        bad: `model_name: my-model
resources:
  accelerator: H100
trt_llm:
  inference_stack: v2
  build:
    checkpoint_repository:
      repo: meta-llama/Llama-3.1-8B-Instruct
      source: HF
  runtime:
    patch_kwargs:
      guided_decoding_backend: null
`,
        good: `model_name: my-model
resources:
  accelerator: H100
trt_llm:
  inference_stack: v2
  build:
    checkpoint_repository:
      repo: meta-llama/Llama-3.1-8B-Instruct
      source: HF
  runtime:
    patch_kwargs:
      guided_decoding_backend: xgrammar
`,
        release: '0.9.114',
      },
    }),
  },
  check({ parsed, value, release, report }) {
    if (!release || isNewer(release)) return;
    for (const { path, kinds, newest } of kindsIn(release)) {
      for (const entry of matching(value, path)) {
        const kind = kindOf(entry.value);
        // Refused by the newest release too: the schema says so.
        if (!kind || kinds.includes(kind) || (newest && !newest.includes(kind))) continue;
        const from = kindFrom(path, kind, release);
        report({
          code: 'type-in-release',
          range: valueRangeAt(parsed, entry.path),
          message:
            `truss ${release} refuses ${KIND_NAMES[kind]} as a value of \`${entry.path.slice(0, -1).join('.')}\`: ` +
            `it takes ${listed(kinds)}` +
            (from ? `; truss ${from} accepts it.` : '.'),
        });
      }
    }
    for (const path of requiredOnlyIn(release)) {
      const key = path[path.length - 1];
      for (const parent of matching(value, path.slice(0, -1))) {
        if (!isObj(parent.value) || key in parent.value) continue;
        const until = firstAfter(requiredItem([...parent.path, key]), release, false);
        const where = parent.path.length ? ` in \`${parent.path.join('.')}\`` : '';
        report({
          code: 'required-in-release',
          range: keyOf(parsed, parent.path),
          message:
            `truss ${release} requires \`${key}\`${where} and refuses the file without it ("Field required")` +
            (until ? `; from truss ${until} it is optional.` : '.'),
        });
      }
    }
    const either = 'raised:trt-llm-serve-or-build';
    const trt = isObj(value) ? value.trt_llm : undefined;
    if (isObj(trt) && !trt.build && !trt.serve && holds(either, release)) {
      const until = firstAfter(either, release, false);
      report({
        code: 'required-in-release',
        range: keyOf(parsed, ['trt_llm']),
        message:
          `truss ${release} requires \`build\` or \`serve\` in \`trt_llm\` and refuses the file without them` +
          (until ? `; from truss ${until} neither is required.` : '.'),
      });
    }
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
        const ignored = seen.value === undefined && ignoresUnknownUnder(seen.path.slice(0, -1), release);
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

const KIND_NAMES: Record<string, string> = {
  str: 'a string',
  int: 'an integer',
  float: 'a number',
  bool: 'a boolean',
  dict: 'a mapping',
  list: 'a list',
  null: '`null`',
};

/** Kinds in a sentence, in a fixed order: `a string, an integer or a mapping`. */
function listed(kinds: string[]): string {
  return orList(
    Object.keys(KIND_NAMES)
      .filter((k) => kinds.includes(k))
      .map((k) => KIND_NAMES[k]),
  );
}

/** The kind of a loaded value, as release data names it; undefined for a date or bytes. */
function kindOf(v: unknown): string | undefined {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  return isObj(v) ? 'dict' : undefined;
}

/** The values at the key paths a pattern names (`[]` any list item, `{}` any mapping value), with their paths. */
function matching(value: unknown, pattern: readonly string[]): Array<{ path: string[]; value: unknown }> {
  let at: Array<{ path: string[]; value: unknown }> = [{ path: [], value }];
  for (const seg of pattern) {
    at = at.flatMap(({ path, value: v }): Array<{ path: string[]; value: unknown }> =>
      seg === '[]'
        ? Array.isArray(v)
          ? (v as unknown[]).map((x, i) => ({ path: [...path, String(i)], value: x }))
          : []
        : seg === '{}'
          ? isObj(v)
            ? Object.entries(v).map(([k, x]) => ({ path: [...path, k], value: x }))
            : []
          : isObj(v) && seg in v
            ? [{ path: [...path, seg], value: v[seg] }]
            : [],
    );
  }
  return at;
}

/** The range of a mapping's key, or of a list entry's first key (an entry has no key of its own). */
function keyOf(parsed: ParsedDocument, path: string[]): Range {
  const at = locate(parsed, path).found;
  if (at.pair) return parsed.keyRange(at.pair);
  const first = isMap(at.node) ? at.node.items[0] : undefined;
  return (first && parsed.keyRange(first)) ?? parsed.nodeRange(at.node) ?? parsed.range(0, 0);
}
