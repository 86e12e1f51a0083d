import { isMap, isScalar, isSeq } from 'yaml';
import { code, defineRule } from '../core/rule';
import { extraKeys, type TrussError } from '../core/truss/trussAnswer';
import { DOCS, type Range } from '../core/types';
import type { ParsedDocument } from '../core/yaml/parse';
import { findPair, type Pair } from '../core/yaml/query';

/**
 * Where truss's location points: the deepest node of the file it names and the range that stands for
 * it (the key of a mapping's value, a list item's first key), and whether the whole location was found.
 */
function place(parsed: ParsedDocument, loc: Array<string | number>): { node: unknown; anchor?: Range; whole: boolean } {
  let node: unknown = parsed.resolve(parsed.root);
  let anchor: Range | undefined;
  let matched = 0;
  for (const [i, seg] of loc.entries()) {
    // A segment that names no child is one of pydantic's own tags (`function-after[…]`) or a missing field.
    if (isMap(node)) {
      const p = findPair(node, String(seg));
      if (!p) continue;
      anchor = parsed.keyRange(p);
      node = parsed.resolve(p.value);
    } else if (isSeq(node) && typeof seg === 'number' && node.items[seg] !== undefined) {
      node = parsed.resolve(node.items[seg]);
      const first = isMap(node) ? node.items[0] : undefined;
      anchor = (first ? parsed.keyRange(first) : parsed.nodeRange(node as never)) ?? anchor;
    } else continue;
    matched = i + 1;
  }
  const tags = loc.slice(matched).every((s) => typeof s === 'string' && /[[\]]|^(?:str|int|float|bool|none)$/.test(s));
  return { node, anchor, whole: matched === loc.length || tags };
}

/** The range of the first key of the document (for an error truss locates nowhere), or its start. */
function documentStart(parsed: ParsedDocument): Range {
  const root = parsed.resolve(parsed.root);
  const first = isMap(root) ? root.items[0] : undefined;
  return (first && parsed.keyRange(first)) ?? parsed.range(0, 0);
}

/** Each string and number of the document, longest first: what truss's messages must not repeat. */
function valuesOf(value: unknown, out = new Set<string>()): string[] {
  if (typeof value === 'string' || typeof value === 'number') {
    if (String(value).length >= 3) out.add(String(value));
  } else if (Array.isArray(value)) for (const v of value) valuesOf(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) valuesOf(v, out);
  return [...out].sort((a, b) => b.length - a.length);
}

/** truss's message, without pydantic's prefix nor any value of the file. */
function message(error: TrussError, values: string[], version: string): string {
  let msg = error.msg
    .replace(/^(?:Value error|Assertion failed), /, '')
    .replace(/\s+/g, ' ')
    .trim();
  for (const v of values) msg = msg.split(v).join('…');
  const who = error.stage === 'push' ? `\`truss push\` (truss ${version})` : `truss ${version}`;
  return `${who} refuses this: ${msg}`;
}

export const trussSays = defineRule({
  name: 'truss-says',
  codes: {
    'truss-rejects': code({
      severity: 'error',
      defers: true,
      summary:
        'What the installed truss itself refuses, asked when you opt in (`--with-truss`, `trussConfig.truss.run`).',
      source: "the installed truss's `TrussConfig` loading and `validate_forbid_extra`",
      href: DOCS.reference,
      docs: {
        description:
          'Reports what the truss installed in your environment says when it loads the config, in its own words: ' +
          'truss runs its own config loading (`TrussConfig` from the YAML, then the unknown-key check of ' +
          '`truss push` where the release has it), and each error it gives is shown on the key or value it ' +
          'names. This asks Python, so it is opt in: `truss-config --with-truss` in the checker, ' +
          '`trussConfig.truss.run` in the editor (trusted workspaces only, on open and save, never while you ' +
          'type). A truss released after this checker is then exact on what it checks. Where our own checks ' +
          'say the same on the same node, ours is kept. A value from the file is never repeated.',
        bad: `model_name: my-model
python_version: py311
warm_pool: 2
`,
        good: `model_name: my-model
python_version: py311
`,
        trussSays: {
          version: '0.19.0',
          errors: [
            {
              loc: [],
              type: 'value_error',
              msg:
                'Value error, Extra fields not allowed: [warm_pool]. Possibly this field is only supported ' +
                'by newer truss versions, check for updates.',
              stage: 'push',
            },
          ],
        },
        release: '0.19.0',
      },
    }),
  },
  check({ parsed, trussSays, report }) {
    if (!trussSays) return;
    const values = valuesOf(parsed.value);
    for (const error of trussSays.errors) {
      const msg = message(error, values, trussSays.version);
      if (error.loc === null) {
        report({ code: 'truss-rejects', range: documentStart(parsed), message: msg });
        continue;
      }
      const { node, anchor, whole } = place(parsed, error.loc);
      const keys = extraKeys(error.msg);
      if (keys && isMap(node)) {
        const pairs = keys.map((k) => findPair(node, k)).filter((p): p is Pair => p !== undefined);
        for (const p of pairs) report({ code: 'truss-rejects', range: parsed.keyRange(p), message: msg });
        // Keys named but none found here: the location is not in this text, so nothing is said.
        continue;
      }
      const range =
        (whole && (isScalar(node) || isSeq(node)) ? parsed.nodeRange(node) : undefined) ??
        anchor ??
        documentStart(parsed);
      report({ code: 'truss-rejects', range, message: msg });
    }
  },
});
