/** Conversion of what the core and the features compute to LSP types. */
import {
  type CodeAction,
  CodeActionKind,
  type CompletionItem,
  CompletionItemKind,
  type Diagnostic,
  DiagnosticSeverity,
  type DocumentHighlight,
  DocumentHighlightKind,
  type DocumentSymbol,
  type Hover,
  InsertTextFormat,
  InsertTextMode,
  type Location,
  MarkupKind,
  SymbolKind,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { CREATE_CREDENTIAL_COMMAND, FIX_ALL_KIND } from '../../../protocol/protocol';
import type { Finding, Fix, Range, Severity, TextEdit } from '../core/types';
import { PROJECT_FILE_CODE, type RegistryCredential } from '../features/codeActions';
import type { CompletionEntry } from '../features/complete';
import type { HoverResult } from '../features/hover';
import type { OutlineSymbol } from '../features/symbols';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** A problem of the project file (`.truss-config.yaml`): its settings are not applied until it is fixed. */
export function projectDiagnostic(p: { message: string; range: Range }): Diagnostic {
  return {
    range: p.range,
    severity: DiagnosticSeverity.Error,
    source: 'truss',
    code: PROJECT_FILE_CODE,
    message: p.message,
  };
}

export function toDiagnostic(f: Finding): Diagnostic {
  const d: Diagnostic = {
    range: f.range,
    severity: SEVERITY[f.severity],
    source: 'truss',
    code: f.code,
    message: f.message,
  };
  if (f.href) d.codeDescription = { href: f.href };
  if (f.data) d.data = f.data;
  return d;
}

const COMPLETION_KINDS: Record<CompletionEntry['kind'], CompletionItemKind> = {
  property: CompletionItemKind.Property,
  value: CompletionItemKind.EnumMember,
  secret: CompletionItemKind.Variable,
  snippet: CompletionItemKind.Snippet,
};

export function toCompletionItem(e: CompletionEntry): CompletionItem {
  const item: CompletionItem = {
    label: e.label,
    kind: COMPLETION_KINDS[e.kind],
    sortText: e.sortText,
    textEdit: { range: e.range, newText: e.insertText },
    insertTextFormat: e.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    insertTextMode: InsertTextMode.asIs,
  };
  if (e.detail) item.detail = e.detail;
  if (e.filterText) item.filterText = e.filterText;
  if (e.documentation) item.documentation = { kind: MarkupKind.Markdown, value: e.documentation };
  return item;
}

export function toHover(h: HoverResult): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: h.range };
}

/** A document version that edits are for. */
export interface DocRef {
  uri: string;
  version: number;
  /** Whether the client takes versioned edits (then a stale fix is refused). */
  versioned: boolean;
}

export function workspaceEdit(doc: DocRef, edits: TextEdit[]): WorkspaceEdit {
  if (doc.versioned) return { documentChanges: [{ textDocument: { uri: doc.uri, version: doc.version }, edits }] };
  return { changes: { [doc.uri]: edits } };
}

/** The edits of several documents; an unopened one has no version (`null`). */
export function filesEdit(
  changes: Array<{ uri: string; version: number | null; edits: TextEdit[] }>,
  versioned: boolean,
): WorkspaceEdit {
  const nonEmpty = changes.filter((c) => c.edits.length);
  if (versioned) {
    return {
      documentChanges: nonEmpty.map((c) => ({ textDocument: { uri: c.uri, version: c.version }, edits: c.edits })),
    };
  }
  const out: Record<string, TextEdit[]> = {};
  for (const c of nonEmpty) out[c.uri] = [...(out[c.uri] ?? []), ...c.edits];
  return { changes: out };
}

/** A quick fix; `edit`, when the fix edits other documents than `doc` (the model code's files). */
export function toCodeAction(doc: DocRef, fix: Fix, diagnostics: Diagnostic[], edit?: WorkspaceEdit): CodeAction {
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics,
    isPreferred: fix.preferred || undefined,
    edit: edit ?? workspaceEdit(doc, fix.edits),
  };
}

/** "Fix all auto-fixable Truss problems": the fixes the checker's --fix applies, as one edit. */
export function fixAllAction(doc: DocRef, edit: TextEdit): CodeAction {
  return { title: 'Fix all auto-fixable Truss problems', kind: FIX_ALL_KIND, edit: workspaceEdit(doc, [edit]) };
}

/** The registry-credential command, offered on a `DOCKER_REGISTRY_` key. */
export function credentialAction(c: RegistryCredential): CodeAction {
  return {
    title: `Create the value of ${c.secretName}…`,
    kind: CodeActionKind.Refactor,
    command: {
      title: 'Truss: Create registry credential…',
      command: CREATE_CREDENTIAL_COMMAND,
      arguments: [c],
    },
  };
}

export function toLocation(uri: string, range: Range): Location {
  return { uri, range };
}

export function toHighlight(h: { range: Range; write: boolean }): DocumentHighlight {
  return { range: h.range, kind: h.write ? DocumentHighlightKind.Write : DocumentHighlightKind.Read };
}

const SYMBOL_KINDS: Record<OutlineSymbol['kind'], SymbolKind> = {
  section: SymbolKind.Module,
  field: SymbolKind.Property,
  list: SymbolKind.Array,
  entry: SymbolKind.Object,
};

export function toDocumentSymbol(s: OutlineSymbol): DocumentSymbol {
  return {
    name: s.name,
    kind: SYMBOL_KINDS[s.kind],
    range: s.range,
    selectionRange: s.selectionRange,
    children: s.children.map(toDocumentSymbol),
  };
}
