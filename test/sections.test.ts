/**
 * ARCHITECTURE.md's invariant "a rule speaks only about its own section", as a property: deleting a
 * top-level section of a config never adds a finding in another section.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isScalar } from 'yaml';
import { analyze } from '../server/src/engine/analyze';
import { RULE_OF } from '../server/src/engine/rules';
import type { Analysis } from '../server/src/core/analysis';
import { removeEntry } from '../server/src/core/yaml/edit';
import { ROOT, ruleCases } from './ruleFiles';
import { applyEdits } from './text';

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? yamlFiles(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** Each finding as `section code message`: the section is the last top-level key before it. */
function located(a: Analysis): string[] {
  const starts = (a.parsed.rootMap?.items ?? []).flatMap((p) => {
    const start = (p.key as { range?: [number, number, number] } | null)?.range?.[0];
    return start !== undefined && isScalar(p.key) ? [{ start, name: String(p.key.value) }] : [];
  });
  return a.findings.map((f) => {
    const at = a.parsed.offset(f.range.start);
    const section = starts.filter((s) => s.start <= at).pop()?.name ?? '';
    return `${section} ${f.code} ${f.message.replace(/line \d+/g, 'line N')}`;
  });
}

/** Whether a finding (`section code message`) may follow from deleting `gone`: its rule reads it. */
function reads(gone: string, finding: string): boolean {
  const code = finding.split(' ')[1];
  return RULE_OF.get(code)?.reads.includes(gone) ?? false;
}

describe('a rule speaks only about its own section', () => {
  it('deleting any top-level section adds no finding elsewhere', () => {
    const docs = [
      ...ruleCases(),
      ...yamlFiles(join(ROOT, '..', 'shared', 'corpus')).map((f) => ({ name: f, text: readFileSync(f, 'utf8') })),
    ];
    const problems: string[] = [];
    let deletions = 0;
    for (const doc of docs) {
      const a = analyze(doc.text);
      const root = a.parsed.rootMap;
      if (!a.truss || !root || a.parsed.problems.length || a.parsed.extraDocuments.length) continue;
      const before = new Set(located(a));
      for (const pair of root.items) {
        if (!isScalar(pair.key)) continue;
        const edit = removeEntry(a.parsed, root, pair);
        if (!edit) continue; // a flow root, or a key sharing its line
        const text = applyEdits(doc.text, [edit]);
        const after = analyze(text, { detect: 'always' });
        deletions++;
        const gone = String(pair.key.value);
        for (const f of located(after)) {
          if (before.has(f) || f.startsWith(`${gone} `) || reads(gone, f)) continue;
          problems.push(`${doc.name} without ${gone}: ${f}`);
        }
      }
    }
    assert.ok(deletions > 100, `${deletions} deletions`);
    console.log(`sections: ${deletions} sections deleted, ${problems.length} findings elsewhere`);
    assert.deepEqual(problems.slice(0, 20), []);
  });
});
