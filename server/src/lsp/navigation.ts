import {
  DocumentHighlight,
  DocumentHighlightKind,
  type DocumentSymbol,
  Location,
  ResponseError,
  SymbolKind,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { Analysis } from '../core/analysis';
import { secretNameProblem } from '../core/truss/secretNames';
import { type SecretUse, secretUses, useAt } from '../core/truss/secretUses';
import { renameEdits } from '../core/truss/secretEdits';
import type { Position, Range } from '../core/types';
import { type OutlineSymbol, outline } from '../features/symbols';

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

export function definition(analysis: Analysis, uri: string, pos: Position): Location[] {
  const found = occurrencesAt(analysis, pos);
  return found ? found.same.filter((o) => o.kind === 'declaration').map((o) => Location.create(uri, o.range)) : [];
}

export function references(analysis: Analysis, uri: string, pos: Position, includeDeclaration: boolean): Location[] {
  const found = occurrencesAt(analysis, pos);
  if (!found) return [];
  return found.same
    .filter((o) => includeDeclaration || o.kind !== 'declaration')
    .map((o) => Location.create(uri, o.range));
}

export function highlights(analysis: Analysis, pos: Position): DocumentHighlight[] {
  const found = occurrencesAt(analysis, pos);
  if (!found) return [];
  return found.same.map((o) =>
    DocumentHighlight.create(
      o.range,
      o.kind === 'declaration' ? DocumentHighlightKind.Write : DocumentHighlightKind.Read,
    ),
  );
}

export function prepareRename(analysis: Analysis, pos: Position): { range: Range; placeholder: string } | null {
  const found = occurrencesAt(analysis, pos);
  return found ? { range: found.here.range, placeholder: found.here.name } : null;
}

export function rename(analysis: Analysis, uri: string, pos: Position, newName: string): WorkspaceEdit {
  const found = occurrencesAt(analysis, pos);
  if (!found) throw new ResponseError(-32803, 'Only a secret name can be renamed here.');
  if (newName !== found.here.name) {
    const problem = /[\r\n]/.test(newName)
      ? 'A secret name cannot span lines.'
      : analysis.facts.secretNames.has(newName)
        ? `\`${newName}\` is already declared under \`secrets\`.`
        : secretNameProblem(newName);
    if (problem) throw new ResponseError(-32803, problem);
  }
  const edits = renameEdits(analysis.parsed, analysis.facts, found.same, newName);
  return { changes: { [uri]: edits } };
}

const KINDS: Record<OutlineSymbol['kind'], SymbolKind> = {
  section: SymbolKind.Module,
  field: SymbolKind.Property,
  list: SymbolKind.Array,
  entry: SymbolKind.Object,
};

export function documentSymbols(analysis: Analysis): DocumentSymbol[] {
  const convert = (s: OutlineSymbol): DocumentSymbol => ({
    name: s.name,
    kind: KINDS[s.kind],
    range: s.range,
    selectionRange: s.selectionRange,
    children: s.children.map(convert),
  });
  return outline(analysis).map(convert);
}
