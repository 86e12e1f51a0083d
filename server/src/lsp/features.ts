import {
  type CodeAction,
  CodeActionKind,
  type CompletionItem,
  CompletionItemKind,
  type Diagnostic,
  type Hover,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { CREATE_CREDENTIAL_COMMAND, FIX_ALL_KIND, type RegistryInfo } from '../../../protocol/protocol';
import type { Analysis } from '../core/analysis';
import { nodeAt } from '../core/yaml/cursor';
import { addSecrets } from '../core/truss/secretEdits';
import { REGISTRY_SECRET_PREFIX, credentialUser, registryOfSecret } from '../core/truss/registry';
import type { Fix, Range } from '../core/types';
import type { AnalyzeOptions } from '../engine/analyze';
import { fixAll } from '../engine/fixAll';
import { findingFor, fixesFor, groupFixesFor, suppressFix } from '../engine/fixes';
import type { CompletionEntry } from '../features/complete';
import type { HoverResult } from '../features/hover';

const KINDS: Record<CompletionEntry['kind'], CompletionItemKind> = {
  property: CompletionItemKind.Property,
  value: CompletionItemKind.EnumMember,
  secret: CompletionItemKind.Variable,
};

export function toCompletionItem(e: CompletionEntry): CompletionItem {
  const item: CompletionItem = {
    label: e.label,
    kind: KINDS[e.kind],
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

export interface DocRef {
  uri: string;
  version: number;
  /** Whether the client takes versioned edits (then a stale fix is refused). */
  versioned: boolean;
}

function workspaceEdit(doc: DocRef, edits: TextEdit[]): WorkspaceEdit {
  if (doc.versioned) return { documentChanges: [{ textDocument: { uri: doc.uri, version: doc.version }, edits }] };
  return { changes: { [doc.uri]: edits } };
}

function toAction(doc: DocRef, fix: Fix, diagnostics: Diagnostic[]): CodeAction {
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics,
    isPreferred: fix.preferred || undefined,
    edit: workspaceEdit(doc, fix.edits),
  };
}

/**
 * Quick fixes for the diagnostics in the request that this analysis produced (a diagnostic
 * from another version finds no finding and gets no fix), and the registry-credential
 * command on a `DOCKER_REGISTRY_` key.
 */
export function codeActions(analysis: Analysis, doc: DocRef, range: Range, diagnostics: Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  const codes = new Set<string>();
  for (const d of diagnostics) {
    if (d.source !== 'truss' || typeof d.code !== 'string') continue;
    const finding = findingFor(analysis, d.code, d.range, typeof d.message === 'string' ? d.message : undefined);
    if (!finding) continue;
    codes.add(finding.code);
    for (const fix of fixesFor(analysis, finding)) actions.push(toAction(doc, fix, [d]));
    const suppress = suppressFix(analysis, finding);
    if (suppress) actions.push(toAction(doc, suppress, [d]));
  }
  for (const code of codes) {
    const of = diagnostics.filter((d) => d.code === code);
    for (const fix of groupFixesFor(analysis, code)) actions.push(toAction(doc, fix, of));
  }

  const at = nodeAt(analysis.parsed, analysis.parsed.offset(range.start));
  const name = at?.path.length === 2 && at.path[0] === 'secrets' ? at.path[1] : undefined;
  if (name?.startsWith(REGISTRY_SECRET_PREFIX)) {
    const reg = registryOfSecret(name.slice(REGISTRY_SECRET_PREFIX.length));
    actions.push({
      title: `Create the value of ${name}…`,
      kind: CodeActionKind.Refactor,
      command: {
        title: 'Truss: Create registry credential…',
        command: CREATE_CREDENTIAL_COMMAND,
        arguments: [{ secretName: name, user: credentialUser(reg.kind) ?? '' }],
      },
    });
  }
  return actions;
}

/** The edit that declares `name: null` under `secrets`, when the document is a Truss config without it. */
export function declareSecretEdit(
  analysis: Analysis,
  doc: { uri: string; version: number },
  name: string,
  versioned: boolean,
) {
  if (!analysis.truss || analysis.facts.secretNames.has(name)) return null;
  const edit = addSecrets(analysis.parsed, analysis.facts, [name]);
  return edit ? workspaceEdit({ ...doc, versioned }, [edit]) : null;
}

/** What the credential command needs for a document: the image's pull-credential secret. */
export function registryInfo(analysis: Analysis): RegistryInfo | null {
  const reg = analysis.facts.image?.registry;
  if (!analysis.truss || !reg) return null;
  return { secretName: REGISTRY_SECRET_PREFIX + reg.secretKey, user: credentialUser(reg.kind) ?? '' };
}

/**
 * "Fix all auto-fixable Truss problems": the fixes the checker's --fix applies (engine/fixAll.ts),
 * as one edit of the part of the text that changes; undefined when there is nothing to fix.
 */
export function fixAllAction(analysis: Analysis, doc: DocRef, options: AnalyzeOptions): CodeAction | undefined {
  const before = analysis.parsed.text;
  const { text: after, applied } = fixAll(before, options);
  if (!applied.length || after === before) return undefined;
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (
    end < before.length - start &&
    end < after.length - start &&
    before[before.length - 1 - end] === after[after.length - 1 - end]
  ) {
    end++;
  }
  const range = analysis.parsed.range(start, before.length - end);
  const edit = TextEdit.replace(range, after.slice(start, after.length - end));
  return {
    title: 'Fix all auto-fixable Truss problems',
    kind: FIX_ALL_KIND,
    edit: workspaceEdit(doc, [edit]),
  };
}
