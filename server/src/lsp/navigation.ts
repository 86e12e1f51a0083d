import {
  DocumentHighlight,
  DocumentHighlightKind,
  type DocumentSymbol,
  Location,
  ResponseError,
  SymbolKind,
  TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { Analysis } from '../core/analysis';
import { quoteLike } from '../core/edit';
import { occurrenceAt, secretOccurrences } from '../core/secretRefs';
import { secretNameProblem } from '../core/secretNames';
import type { Position, Range } from '../core/types';
import { type OutlineSymbol, outline } from '../features/symbols';

/** The secret named under the cursor and every place it is named. */
function occurrencesAt(analysis: Analysis, pos: Position) {
  if (!analysis.truss) return undefined;
  const all = secretOccurrences(analysis.parsed, analysis.facts);
  const here = occurrenceAt(all, pos.line, pos.character);
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
    .filter((o) => includeDeclaration || o.kind === 'reference')
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
  const edits = found.same.map((o) => TextEdit.replace(o.range, quoteLike(o.node, newName)));
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
