/** Writes the findings of the checker under the lines they are about, in the annotation format of test/rules. */
import {
  IN_TRUSS,
  annotate,
  asExpectations,
  readAnnotated,
  trussRelease,
  trussSays,
  workspaceSecrets,
} from '../test/annotations';
import { BasetenSecrets } from '../server/src/core/truss/basetenSecrets';
import { analyze } from '../server/src/engine/analyze';

export function annotated(source: string): string {
  const { text } = readAnnotated(source);
  const names = workspaceSecrets(text);
  const release = trussRelease(text);
  const baseten = names && new BasetenSecrets(names);
  const got = asExpectations(
    analyze(text, { folder: IN_TRUSS, baseten, release, trussSays: trussSays(text) }).findings,
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
