import { isMap, isPair, isScalar, isSeq, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { nodeAt } from '../core/yaml/cursor';
import { removeEntry } from '../core/yaml/edit';
import { parentMap } from '../core/yaml/query';
import { code, defineRule } from '../core/rule';

export const duplicateKey = defineRule({
  name: 'duplicate-key',
  codes: {
    'duplicate-key': code<{ key: string; keptLine: number }>({
      severity: 'warning',
      fix: 'editor',
      summary: 'A key appears twice in one mapping; truss keeps the last and ignores the others.',
      source: 'truss/util/yaml_utils.py (warns: "Detected duplicate key")',
      docs: {
        description:
          'Flags a key written twice in the same mapping, often a section added again at the end of a long file. ' +
          'truss keeps only the last entry: it prints `Detected duplicate key ... will use the last entry but ' +
          'could cause unexpected behavior` when it loads the file, and the push goes ahead. Everything in the ' +
          'earlier entries is dropped without an error; below, torch and transformers are never installed in the ' +
          'image, and the model fails when it imports them. Merge the entries into one.',
        bad: `model_name: my-model
python_version: py311
requirements:
  - torch==2.3.0
  - transformers==4.41.0
resources:
  accelerator: A10G
requirements:
  - accelerate==0.30.1
`,
        good: `model_name: my-model
python_version: py311
requirements:
  - torch==2.3.0
  - transformers==4.41.0
  - accelerate==0.30.1
resources:
  accelerator: A10G
`,
        fix:
          'Removes the earlier entry, the one truss ignores, so the file says what truss already does. ' +
          'When the earlier entry holds something you need, merge it into the ' +
          'last one by hand instead.',
      },
    }),
  },
  check({ parsed, report }) {
    const checkMap = (map: YAMLMap): void => {
      // A key's value is its identity (1 and '1' differ); an object (a date, bytes) by its text, as a
      // symbol so that it never meets a text key.
      const seen = new Map<unknown, Pair>();
      const repeated = new Map<unknown, Pair[]>();
      for (const pair of map.items) {
        if (!isScalar(pair.key) || pair.key.value === '<<') continue;
        const v = pair.key.value;
        const id =
          typeof v === 'object' && v !== null ? Symbol.for(v instanceof Date ? v.toISOString() : JSON.stringify(v)) : v;
        const first = seen.get(id);
        if (!first) seen.set(id, pair);
        else {
          const list = repeated.get(id);
          if (list) list.push(pair);
          else repeated.set(id, [first, pair]);
        }
      }
      for (const pairs of repeated.values()) {
        const last = pairs[pairs.length - 1];
        const keptLine = parsed.keyRange(last).start.line;
        for (const pair of pairs.slice(0, -1)) {
          const k = pair.key as Scalar;
          // A date key by what was written, not by the date's long form.
          const key = typeof k.value === 'object' && k.value !== null ? String(k.source) : String(k.value);
          report({
            code: 'duplicate-key',
            range: parsed.keyRange(pair),
            message: `Duplicate key \`${key}\`: truss uses the entry on line ${keptLine + 1} and ignores this one.`,
            data: { key, keptLine },
          });
        }
      }
    };
    // Every mapping, keys included, parents before children; aliases are not followed.
    const walk = (node: unknown): void => {
      if (isMap(node)) {
        checkMap(node);
        for (const pair of node.items) {
          walk(pair.key);
          walk(pair.value);
        }
      } else if (isSeq(node)) {
        for (const item of node.items) walk(item);
      } else if (isPair(node)) {
        walk(node.key);
        walk(node.value);
      }
    };
    walk(parsed.doc?.contents);
  },
  fixes: {
    'duplicate-key'(finding, { parsed }) {
      const at = nodeAt(parsed, parsed.offset(finding.range.start));
      const map = at && parentMap(parsed, at.path);
      const edit = at?.pair && map && removeEntry(parsed, map, at.pair);
      const title = `Remove this \`${finding.data.key}\` (truss uses the one on line ${finding.data.keptLine + 1})`;
      // truss loads the same value after: nothing changes but lines you wrote, so you choose it.
      return edit ? [{ title, edits: [edit], preferred: true }] : [];
    },
  },
});
