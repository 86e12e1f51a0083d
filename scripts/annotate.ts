/** Writes the findings of the checker under the lines they are about, in the annotation format of test/rules. */
import { annotate, readAnnotated, sortExpectations } from '../test/annotations';
import { analyze } from '../server/src/engine/analyze';

export function annotated(source: string): string {
  const { text } = readAnnotated(source);
  const got = sortExpectations(
    analyze(text).findings.map((f) => ({
      line: f.range.start.line,
      start: f.range.start.character,
      endLine: f.range.end.line,
      end: f.range.end.character,
      severity: f.severity,
      code: f.code,
    })),
  );
  const lines = text.split('\n');
  const endsOnEmpty = got.some((g) => g.line === lines.length - 1);
  if (!endsOnEmpty) lines.pop();
  const out: string[] = [];
  lines.forEach((l, i) => {
    out.push(l);
    for (const f of got.filter((g) => g.line === i)) out.push(annotate(f));
  });
  return out.join('\n') + (endsOnEmpty ? '' : '\n');
}
