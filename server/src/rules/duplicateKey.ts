import { isMap, isScalar, Pair, visit } from 'yaml';
import { parentMap } from '../core/parse';
import { Rule } from '../core/rule';
import { nodeAt } from '../core/cursor';
import { removeEntry } from '../core/edit';

export const duplicateKey: Rule = {
  codes: [
    {
      code: 'duplicate-key',
      severity: 'warning',
      summary: 'A key appears twice in one mapping; truss keeps the last and ignores the others.',
      source: 'truss/util/yaml_utils.py (warns: "Detected duplicate key")',
    },
  ],
  check({ parsed, report }) {
    if (!parsed.doc) return;
    visit(parsed.doc, {
      Map(_, map) {
        if (!isMap(map)) return;
        const seen = new Map<string, Pair[]>();
        for (const pair of map.items) {
          if (!isScalar(pair.key) || pair.key.value === '<<') continue;
          const id = `${typeof pair.key.value}:${String(pair.key.value)}`;
          const list = seen.get(id);
          if (list) list.push(pair);
          else seen.set(id, [pair]);
        }
        for (const pairs of seen.values()) {
          if (pairs.length < 2) continue;
          const last = pairs[pairs.length - 1];
          const lastLine = parsed.keyRange(last).start.line + 1;
          for (const pair of pairs.slice(0, -1)) {
            const key = String((pair.key as { value: unknown }).value);
            report(
              'duplicate-key',
              parsed.keyRange(pair),
              `Duplicate key \`${key}\`: truss uses the entry on line ${lastLine} and ignores this one.`,
              { key, keptLine: lastLine - 1 },
            );
          }
        }
      },
    });
  },
  fixes(finding, { parsed }) {
    const at = nodeAt(parsed, parsed.offset(finding.range.start));
    const map = at && parentMap(parsed, at.path);
    const edit = at?.pair && map && removeEntry(parsed, map, at.pair);
    return edit ? [{ title: `Remove this \`${finding.data?.key}\` (truss uses the one on line ${Number(finding.data?.keptLine) + 1})`, edits: [edit], preferred: true, safe: true }] : [];
  },
};
