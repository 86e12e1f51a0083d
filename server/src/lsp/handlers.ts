/**
 * The requests the server answers: each is a plain function of the server's state, the request's
 * parameters and its cancellation token. `server.ts` wires them to the connection.
 */
import {
  type CancellationToken,
  type CodeAction,
  CodeActionKind,
  type CodeActionParams,
  type CompletionItem,
  type CompletionParams,
  type DefinitionParams,
  type DocumentHighlight,
  type DocumentHighlightParams,
  type DocumentSymbol,
  type DocumentSymbolParams,
  type Hover,
  type HoverParams,
  type InitializeParams,
  type InitializeResult,
  type Location,
  type PrepareRenameParams,
  type Range,
  type ReferenceParams,
  type RenameParams,
  ResponseError,
  type TextEdit,
  TextDocumentSyncKind,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  type CheckWorkspaceResult,
  FIX_ALL_KIND,
  type RegistryInfo,
  type RegistryInfoParams,
  type Status,
  type StatusParams,
} from '../../../protocol/protocol';
import type { Analysis } from '../core/analysis';
import { validateSchema } from '../core/truss/schema';
import { isProjectFile, selection } from '../engine/project';
import type { Settings } from '../engine/settings';
import type { Refusal } from '../engine/fixes';
import {
  credentialAt,
  declareSecretEdit,
  fixAllEdit,
  imageCredential,
  namedCredential,
  projectFixes,
  quickFixes,
} from '../features/codeActions';
import { complete, completeCode } from '../features/complete';
import { hover as hoverAt, hoverCode } from '../features/hover';
import * as navigation from '../features/navigation';
import { outline } from '../features/symbols';
import type { BasetenList } from './baseten';
import {
  credentialAction,
  filesEdit,
  fixAllAction,
  toCodeAction,
  toCompletionItem,
  toDocumentSymbol,
  toHighlight,
  toHover,
  toLocation,
  workspaceEdit,
} from './convert';
import type { Releases } from './releases';
import type { TrussRuns } from './trussRun';
import { isPython } from './documents';
import { type TrussOf, otherOwners, trussOf } from './python';
import type { DocumentState, State } from './state';
import { pathOf } from './uris';

/**
 * The current analysis of a document, once its settings are known; undefined when the document is
 * not open or the request was cancelled meanwhile.
 */
async function current(
  state: DocumentState,
  uri: string,
  token?: CancellationToken,
): Promise<{ doc: TextDocument; analysis: Analysis; settings: Settings } | undefined> {
  if (!state.documents.get(uri)) return undefined;
  const settings = await state.settings.get(uri);
  if (token?.isCancellationRequested) return undefined;
  const doc = state.documents.get(uri);
  if (!doc) return undefined;
  const analysis = await state.analyses.ready(uri, () => state.analyses.get(doc, settings));
  return token?.isCancellationRequested ? undefined : { doc, analysis, settings };
}

/**
 * For an open Python document, the Truss that holds it (its config's analysis and the file's path in
 * it); undefined for any other document, a Python file of no Truss, or a cancelled request.
 */
async function python(state: DocumentState, uri: string, token?: CancellationToken): Promise<TrussOf | undefined> {
  const doc = state.documents.get(uri);
  if (!doc || !isPython(doc)) return undefined;
  return trussOf(state, uri, token);
}

function isPythonDoc(state: DocumentState, uri: string): boolean {
  const doc = state.documents.get(uri);
  return !!doc && isPython(doc);
}

/** The URI of a place of a config's Truss: the config's, or one of its Python files'. */
function uriOfPlace(state: DocumentState, configUri: string, place: navigation.Place): string | undefined {
  return place.file === undefined ? configUri : state.code?.uriOf(configUri, place.file);
}

function locations(state: DocumentState, configUri: string, places: navigation.Place[]): Location[] {
  const out: Location[] = [];
  for (const p of places) {
    const uri = uriOfPlace(state, configUri, p);
    if (uri !== undefined) out.push(toLocation(uri, p.range));
  }
  return out;
}

/** The version of an open document, or null. */
function versionOf(state: DocumentState, uri: string): number | null {
  return state.documents.get(uri)?.version ?? null;
}

/** The config, in a request made from the config or from one of its Python files. */
async function truss(
  state: DocumentState,
  uri: string,
  token?: CancellationToken,
): Promise<{ configUri: string; file?: string; analysis: Analysis } | undefined> {
  if (isPythonDoc(state, uri)) return python(state, uri, token);
  const c = await current(state, uri, token);
  return c && { configUri: c.doc.uri, analysis: c.analysis };
}

export function initialize(state: State, params: InitializeParams): InitializeResult {
  const caps = params.capabilities;
  state.settings.supported = !!caps.workspace?.configuration;
  state.capabilities.versionedEdits = !!caps.workspace?.workspaceEdit?.documentChanges;
  state.capabilities.watchFiles = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  state.capabilities.configurationRegistration = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
  state.capabilities.relativeWatch = !!caps.workspace?.didChangeWatchedFiles?.relativePatternSupport;
  state.capabilities.foldersChange = !!caps.workspace?.workspaceFolders;
  state.folders.setFolders(params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []));
  // Only a client that says the workspace is trusted lets the server run the workspace's Python.
  const options = params.initializationOptions as { trusted?: unknown } | undefined;
  state.truss.setTrusted(options?.trusted === true);
  validateSchema({}); // compile the schema now, not on the first keystroke
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      // Quotes: in a Python file of a Truss, `secrets["` asks for the declared names.
      completionProvider: { triggerCharacters: [':', '"', "'"] },
      hoverProvider: true,
      codeActionProvider: {
        codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.Refactor, CodeActionKind.Source, FIX_ALL_KIND],
      },
      definitionProvider: true,
      referencesProvider: true,
      documentHighlightProvider: true,
      renameProvider: { prepareProvider: true },
      documentSymbolProvider: true,
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'truss-config' },
  };
}

export async function status(
  state: DocumentState & {
    baseten: Pick<BasetenList, 'state'>;
    releases: Pick<Releases, 'inForce'>;
    truss?: Pick<TrussRuns, 'line'>;
  },
  params: StatusParams,
  token?: CancellationToken,
): Promise<Status | null> {
  const doc = state.documents.get(params.uri);
  const s = await state.settings.get(params.uri);
  if (token?.isCancellationRequested) return null;
  const none = { errors: 0, warnings: 0, others: 0 };
  if (!s.enable) return { truss: false, reason: 'validation is off (trussConfig.validate.enable)', ...none };
  if (!state.analyses.named(params.uri, s)) {
    const ignored = selection(s, pathOf(params.uri)) === 'ignored';
    const reason = ignored ? `ignored by ${s.project}` : 'not matched by trussConfig.files';
    return { truss: false, candidate: false, reason, ...none };
  }
  if (!doc) return null;
  const a = state.analyses.get(doc, s);
  const own = a.findings.filter((x) => x.file === undefined);
  const count = (f: (sev: string) => boolean) => own.filter((x) => f(x.severity)).length;
  const reason = state.analyses.isForced(params.uri)
    ? 'you asked to check it as a Truss config'
    : s.detect === 'always'
      ? 'trussConfig.detect is "always"'
      : s.detect === 'never'
        ? 'trussConfig.detect is "never"'
        : (a.why ?? 'too large to read its keys');
  return {
    truss: a.truss,
    candidate: true,
    ...(state.analyses.isForced(params.uri) ? { forced: true } : {}),
    baseten: state.baseten.state(),
    release: state.releases.inForce(params.uri, s),
    trussRun: state.truss?.line(params.uri, s),
    reason,
    errors: count((x) => x === 'error'),
    warnings: count((x) => x === 'warning'),
    others: count((x) => x !== 'error' && x !== 'warning'),
  };
}

export async function completion(
  state: DocumentState,
  p: CompletionParams,
  token?: CancellationToken,
): Promise<CompletionItem[]> {
  if (isPythonDoc(state, p.textDocument.uri)) {
    const t = await python(state, p.textDocument.uri, token);
    return t ? completeCode(t.analysis, t.file, p.position).map(toCompletionItem) : [];
  }
  // A quote asks for completion in Python only.
  if (p.context?.triggerCharacter && p.context.triggerCharacter !== ':') return [];
  const c = await current(state, p.textDocument.uri, token);
  if (!c) return [];
  // A new, empty file named like a Truss config (config.yaml) has no keys to tell yet: it gets help too.
  const named = !c.doc.uri.startsWith('untitled:') && c.settings.enable && state.analyses.named(c.doc.uri, c.settings);
  return complete(c.analysis, p.position, named).map(toCompletionItem);
}

export async function hover(state: DocumentState, p: HoverParams, token?: CancellationToken): Promise<Hover | null> {
  if (isPythonDoc(state, p.textDocument.uri)) {
    const t = await python(state, p.textDocument.uri, token);
    const h = t && hoverCode(t.analysis, t.file, p.position);
    return h ? toHover(h) : null;
  }
  const c = await current(state, p.textDocument.uri, token);
  const h = c && hoverAt(c.analysis, p.position);
  return h ? toHover(h) : null;
}

export async function codeActions(
  state: DocumentState & Pick<State, 'capabilities'>,
  p: CodeActionParams,
  token?: CancellationToken,
): Promise<CodeAction[]> {
  if (isPythonDoc(state, p.textDocument.uri)) return codeActionsInPython(state, p, token);
  const project = isProjectFile(p.textDocument.uri) ? state.documents.get(p.textDocument.uri) : undefined;
  if (project) {
    const ref = { uri: project.uri, version: project.version, versioned: state.capabilities.versionedEdits };
    return projectFixes(project.getText(), p.context.diagnostics).map((q) => toCodeAction(ref, q.fix, q.diagnostics));
  }
  const c = await current(state, p.textDocument.uri, token);
  if (!c) return [];
  const { doc, analysis: a } = c;
  const ref = { uri: doc.uri, version: doc.version, versioned: state.capabilities.versionedEdits };
  const only = p.context.only;
  const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
  const actions: CodeAction[] = [];
  if (wants(CodeActionKind.QuickFix) || wants(CodeActionKind.Refactor)) {
    const refused = (r: Refusal) => state.log?.error(`a quick fix for ${r.code} was refused: ${r.reason}`);
    for (const q of quickFixes(a, p.context.diagnostics, refused))
      actions.push(toCodeAction(ref, q.fix, q.diagnostics));
    const credential = credentialAt(a, p.range);
    if (credential) actions.push(credentialAction(credential));
  }
  // Fix-all runs the whole check once per fix: only when asked for by kind (the Source Action menu,
  // codeActionsOnSave), never for the light bulb's requests on every cursor move.
  if (a.truss && only && wants(FIX_ALL_KIND)) {
    const edit = fixAllEdit(a, {
      detect: 'always',
      rules: c.settings.rules,
      baseten: a.baseten,
      release: a.release,
      code: a.code,
    });
    if (edit) actions.push(fixAllAction(ref, edit));
  }
  return actions;
}

/**
 * The quick fixes of a Python file's diagnostics: its Truss's fixes, which may edit config.yaml (declare
 * the secret) or the Python file (read the declared name), each verified with the other file.
 */
async function codeActionsInPython(
  state: DocumentState & Pick<State, 'capabilities'>,
  p: CodeActionParams,
  token?: CancellationToken,
): Promise<CodeAction[]> {
  const only = p.context.only;
  if (only && !only.some((k) => CodeActionKind.QuickFix === k || CodeActionKind.QuickFix.startsWith(`${k}.`))) {
    return [];
  }
  const t = await python(state, p.textDocument.uri, token);
  if (!t) return [];
  const ref = { uri: t.configUri, version: versionOf(state, t.configUri) ?? 0, versioned: false };
  const refused = (r: Refusal) => state.log?.error(`a quick fix for ${r.code} was refused: ${r.reason}`);
  const actions: CodeAction[] = [];
  for (const q of quickFixes(t.analysis, p.context.diagnostics, refused, t.file)) {
    const edit = trussEdit(state, state.capabilities.versionedEdits, t.configUri, q.fix.edits, q.fix.files ?? {});
    if (edit) actions.push(toCodeAction(ref, q.fix, q.diagnostics, edit));
  }
  return actions;
}

/** One edit of a Truss: its config's and its Python files', each at the version the editor has open. */
function trussEdit(
  state: DocumentState,
  versioned: boolean,
  configUri: string,
  edits: TextEdit[],
  files: Record<string, TextEdit[]>,
): WorkspaceEdit | undefined {
  const changes = [{ uri: configUri, version: versionOf(state, configUri), edits }];
  for (const [file, fileEdits] of Object.entries(files)) {
    const uri = state.code?.uriOf(configUri, file);
    if (uri === undefined) return undefined;
    changes.push({ uri, version: versionOf(state, uri), edits: fileEdits });
  }
  return filesEdit(changes, versioned);
}

export async function definition(
  state: DocumentState,
  p: DefinitionParams,
  token?: CancellationToken,
): Promise<Location[]> {
  const t = await truss(state, p.textDocument.uri, token);
  return t ? locations(state, t.configUri, navigation.definition(t.analysis, p.position, t.file)) : [];
}

export async function references(
  state: DocumentState,
  p: ReferenceParams,
  token?: CancellationToken,
): Promise<Location[]> {
  const t = await truss(state, p.textDocument.uri, token);
  if (!t) return [];
  const places = navigation.references(t.analysis, p.position, p.context.includeDeclaration, t.file);
  return locations(state, t.configUri, places);
}

export async function highlights(
  state: DocumentState,
  p: DocumentHighlightParams,
  token?: CancellationToken,
): Promise<DocumentHighlight[]> {
  if (isPythonDoc(state, p.textDocument.uri)) return []; // the Python language's, not ours
  const c = await current(state, p.textDocument.uri, token);
  return c ? navigation.highlights(c.analysis, p.position).map(toHighlight) : [];
}

export async function prepareRename(
  state: DocumentState,
  p: PrepareRenameParams,
  token?: CancellationToken,
): Promise<Range | { range: Range; placeholder: string } | null> {
  const t = await truss(state, p.textDocument.uri, token);
  return t ? navigation.prepareRename(t.analysis, p.position, t.file) : null;
}

/**
 * Renames a secret across its Truss: config.yaml and every Python file of the Truss that reads it, from
 * either. A refused rename is an answer for the user, not a failure: it is a ResponseError.
 */
export async function rename(
  state: DocumentState,
  p: RenameParams,
  token?: CancellationToken,
): Promise<WorkspaceEdit | null> {
  const t = await truss(state, p.textDocument.uri, token);
  if (!t) return null;
  const r = navigation.rename(t.analysis, p.position, p.newName, t.file);
  if ('refused' in r) throw new ResponseError(-32803, r.refused);
  const changes: Record<string, TextEdit[]> = {};
  if (r.edits.length) changes[t.configUri] = r.edits;
  for (const [file, edits] of Object.entries(r.files)) {
    const uri = state.code?.uriOf(t.configUri, file);
    if (uri === undefined) throw new ResponseError(-32803, `This rename was refused: \`${file}\` cannot be edited.`);
    // A file that another Truss packages too would read a secret that Truss does not declare.
    if (otherOwners(state, t.configUri, uri).length) {
      throw new ResponseError(-32803, `This rename was refused: \`${file}\` is model code of another Truss too.`);
    }
    changes[uri] = edits;
  }
  return { changes };
}

export async function symbols(
  state: DocumentState,
  p: DocumentSymbolParams,
  token?: CancellationToken,
): Promise<DocumentSymbol[]> {
  if (isPythonDoc(state, p.textDocument.uri)) return [];
  const c = await current(state, p.textDocument.uri, token);
  return c ? outline(c.analysis).map(toDocumentSymbol) : [];
}

export async function registryInfo(
  state: DocumentState,
  p: RegistryInfoParams,
  token?: CancellationToken,
): Promise<RegistryInfo | null> {
  const c = p.uri ? await current(state, p.uri, token) : undefined;
  if (p.host !== undefined || p.secretName !== undefined) return namedCredential(p, c?.analysis);
  return c ? imageCredential(c.analysis) : null;
}

/** The edit that declares a secret just saved to Baseten, for the document it was created from. */
export async function declareSecret(
  state: DocumentState & Pick<State, 'capabilities'>,
  p: { uri: string; name: string },
): Promise<WorkspaceEdit | null> {
  const c = await current(state, p.uri);
  const edit = c && declareSecretEdit(c.analysis, p.name);
  if (!c || !edit) return null;
  const ref = { uri: c.doc.uri, version: c.doc.version, versioned: state.capabilities.versionedEdits };
  return workspaceEdit(ref, [edit]);
}

/**
 * Check All: the workspace scanned again, and the open Truss configs counted with the unopened ones (an
 * open config's problems are those of its text in the editor).
 */
export async function checkAll(
  state: DocumentState & Pick<State, 'settings' | 'baseten' | 'folders' | 'projects'>,
): Promise<CheckWorkspaceResult> {
  const result = await checkWorkspace(state);
  let open = 0;
  let openWithProblems = 0;
  for (const doc of state.documents.all()) {
    if (isPython(doc) || !doc.uri.startsWith('file:')) continue;
    const c = await current(state, doc.uri);
    if (!c?.analysis.truss) continue;
    open++;
    if (c.analysis.findings.some((f) => f.file === undefined)) openWithProblems++;
  }
  return { configs: result.configs + open, withProblems: result.withProblems + openWithProblems, open };
}

/** Scans the workspace folders when the scope says so, or forgets their files. */
export async function checkWorkspace(
  state: Pick<State, 'settings' | 'baseten' | 'folders' | 'projects'>,
): Promise<CheckWorkspaceResult> {
  const s = await state.settings.editor('');
  state.baseten.setEnabled(s.basetenCheck);
  state.folders.enabled = s.scope === 'workspace' && s.enable;
  if (!state.folders.enabled) state.folders.clear();
  const result = await state.folders.scan();
  state.projects.publish();
  return result;
}
