import type { Analysis } from '../core/analysis';
import { sameSecret, secretNameProblem } from '../core/truss/secretNames';
import { type SecretUse, secretUses, useAt } from '../core/truss/secretUses';
import { renameEdits } from '../core/truss/secretEdits';
import type { Position, Range, TextEdit } from '../core/types';
import { verify } from '../engine/verify';

/** The secret named under the cursor and every place it is used. */
function occurrencesAt(analysis: Analysis, pos: Position): { here: SecretUse; same: SecretUse[] } | undefined {
  if (!analysis.truss) return undefined;
  const all = secretUses(analysis.parsed, analysis.facts);
  // The cursor is on a name, not on a value that implies one (AWS_IAM's `auth_method`).
  const here = useAt(
    all.filter((u) => u.kind !== 'implicit'),
    pos.line,
    pos.character,
  );
  return here ? { here, same: all.filter((o) => o.name === here.name) } : undefined;
}

/** Where the secret under the cursor is declared. */
export function definition(analysis: Analysis, pos: Position): Range[] {
  const found = occurrencesAt(analysis, pos);
  return found ? found.same.filter((o) => o.kind === 'declaration').map((o) => o.range) : [];
}

export function references(analysis: Analysis, pos: Position, includeDeclaration: boolean): Range[] {
  const found = occurrencesAt(analysis, pos);
  if (!found) return [];
  return found.same.filter((o) => includeDeclaration || o.kind !== 'declaration').map((o) => o.range);
}

/** Every use of the secret under the cursor; `write` marks its declaration. */
export function highlights(analysis: Analysis, pos: Position): { range: Range; write: boolean }[] {
  const found = occurrencesAt(analysis, pos);
  if (!found) return [];
  return found.same.map((o) => ({ range: o.range, write: o.kind === 'declaration' }));
}

export function prepareRename(analysis: Analysis, pos: Position): { range: Range; placeholder: string } | null {
  const found = occurrencesAt(analysis, pos);
  return found ? { range: found.here.range, placeholder: found.here.name } : null;
}

/**
 * The edits that rename the secret under the cursor, verified against their intent (engine/verify.ts),
 * or why it cannot be renamed (a message for the user, which quotes only the new name).
 */
export function rename(
  analysis: Analysis,
  pos: Position,
  newName: string,
): { edits: TextEdit[] } | { refused: string } {
  const found = occurrencesAt(analysis, pos);
  if (!found) return { refused: 'Only a secret name can be renamed here.' };
  const old = found.here.name;
  if (newName !== old) {
    // Baseten stores names that differ only in non-alphanumeric characters as one secret.
    const clash = [...analysis.facts.secretNames].find((n) => n !== old && sameSecret(n, newName));
    const problem = /[\r\n]/.test(newName)
      ? 'A secret name cannot span lines.'
      : clash === newName
        ? `\`${newName}\` is already declared under \`secrets\`.`
        : clash
          ? `Baseten stores \`${newName}\` and the declared \`${clash}\` as one secret.`
          : secretNameProblem(newName);
    if (problem) return { refused: problem };
  }
  const { edits, intent } = renameEdits(analysis.parsed, analysis.facts, found.same, newName);
  const verdict = verify(analysis, { title: 'rename', edits, intent }, [], { baseten: analysis.baseten });
  if (verdict.refused) return { refused: `This rename was refused: ${verdict.refused}.` };
  return { edits };
}
