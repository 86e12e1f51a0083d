import type { Analysis } from '../core/analysis';
import { looksLikeCredential, redactCredentials } from '../core/truss/credentials';
import { sameSecret, secretNameProblem } from '../core/truss/secretNames';
import { type SecretUse, trussUses, useAt } from '../core/truss/secretUses';
import { renameEdits } from '../core/truss/secretEdits';
import type { Position, Range, TextEdit } from '../core/types';
import { verify } from '../engine/verify';

/**
 * A place in the Truss: in the config (`file` absent) or in a file of its model code (`file`, relative to
 * the config's folder).
 */
export interface Place {
  file?: string;
  range: Range;
}

/**
 * The secret named under the cursor and every place the Truss uses it: the config's uses and the model
 * code's reads (one computation, `trussUses`). `file`: the model code file the cursor is in; absent, the
 * config.
 */
function occurrencesAt(
  analysis: Analysis,
  pos: Position,
  file?: string,
): { here: SecretUse; same: SecretUse[] } | undefined {
  if (!analysis.truss) return undefined;
  const all = trussUses(analysis.parsed, analysis.facts, analysis.code).uses;
  // The cursor is on a name, not on a value that implies one (AWS_IAM's `auth_method`).
  const here = useAt(
    all.filter((u) => u.kind !== 'implicit' && u.file === file),
    pos.line,
    pos.character,
  );
  return here ? { here, same: all.filter((o) => o.name === here.name) } : undefined;
}

const place = (u: SecretUse): Place => (u.file === undefined ? { range: u.range } : { file: u.file, range: u.range });

/** Where the secret under the cursor is declared (under `secrets` in the config). */
export function definition(analysis: Analysis, pos: Position, file?: string): Place[] {
  const found = occurrencesAt(analysis, pos, file);
  return found ? found.same.filter((o) => o.kind === 'declaration').map(place) : [];
}

/** Every use of the secret under the cursor, in the config and in each file of the model code. */
export function references(analysis: Analysis, pos: Position, includeDeclaration: boolean, file?: string): Place[] {
  const found = occurrencesAt(analysis, pos, file);
  if (!found) return [];
  return found.same.filter((o) => includeDeclaration || o.kind !== 'declaration').map(place);
}

/** Every use of the secret under the cursor in the same file; `write` marks its declaration. */
export function highlights(analysis: Analysis, pos: Position, file?: string): { range: Range; write: boolean }[] {
  const found = occurrencesAt(analysis, pos, file);
  if (!found) return [];
  return found.same.filter((o) => o.file === file).map((o) => ({ range: o.range, write: o.kind === 'declaration' }));
}

/**
 * The name under the cursor and its range, or the range alone when the name looks like a credential
 * (a token pasted as a secret's name): the editor then shows the text it has, and we never repeat it.
 */
export function prepareRename(
  analysis: Analysis,
  pos: Position,
  file?: string,
): Range | { range: Range; placeholder: string } | null {
  const found = occurrencesAt(analysis, pos, file);
  if (!found) return null;
  const { range, name } = found.here;
  return looksLikeCredential(name) ? range : { range, placeholder: name };
}

/** A rename's edits: the config's, and each model code file's by path. */
export interface RenameEdits {
  edits: TextEdit[];
  files: Record<string, TextEdit[]>;
}

/**
 * The edits that rename the secret under the cursor across the Truss (the config and every file of its
 * model code that reads it), verified against their intent (engine/verify.ts: the config's value, and
 * each read of the code reading the new name), or why it cannot be renamed (a message for the user,
 * which quotes only the new name and a declared one, never what looks like a credential).
 */
export function rename(
  analysis: Analysis,
  pos: Position,
  newName: string,
  file?: string,
): RenameEdits | { refused: string } {
  const found = occurrencesAt(analysis, pos, file);
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
    // It may quote a declared name, or the new one, which could be a credential pasted as a name.
    if (problem) return { refused: redactCredentials(problem) };
    // A read of the model code holds the name in a Python string as written: no quote, no escape.
    if (found.same.some((u) => u.file !== undefined) && !/^[-._a-zA-Z0-9]+$/.test(newName)) {
      return { refused: redactCredentials(`\`${newName}\` cannot be written in the model code's reads as it is.`) };
    }
  }
  const config = found.same.filter((u) => u.file === undefined);
  const { edits, intent } = renameEdits(analysis.parsed, analysis.facts, config, newName);
  const files: Record<string, TextEdit[]> = {};
  for (const u of found.same) {
    if (u.file === undefined) continue;
    (files[u.file] ??= []).push({ range: u.range, newText: newName });
  }
  const fix = { title: 'rename', edits, intent, files };
  const verdict = verify(analysis, fix, [], { baseten: analysis.baseten, release: analysis.release });
  if (verdict.refused) return { refused: `This rename was refused: ${verdict.refused}.` };
  return { edits, files };
}
