import {
  type CancellationToken,
  CodeActionKind,
  type Connection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  type InitializeResult,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { pathToFileURL } from 'node:url';
import {
  CHECK_AS_TRUSS_NOTIFICATION,
  CHECK_WORKSPACE_REQUEST,
  type CheckAsTrussParams,
  type CheckWorkspaceResult,
  FIX_ALL_KIND,
  REGISTRY_INFO_REQUEST,
  type RegistryInfoParams,
  STATUS_REQUEST,
  type Status,
  type StatusParams,
} from '../../../protocol/protocol';
import type { Analysis } from '../core/analysis';
import type { BasetenSecrets } from '../core/truss/basetenSecrets';
import type { ParsedDocument } from '../core/yaml/parse';
import { detectionReason } from '../core/truss/detect';
import { validateSchema } from '../core/truss/schema';
import { analyze } from '../engine/analyze';
import { type ProjectProblem, ProjectFiles, isProjectFile, readProject, selection } from '../engine/project';
import type { Settings } from '../engine/settings';
import { complete } from '../features/complete';
import { hover } from '../features/hover';
import { projectDiagnostic, toDiagnostic } from './convert';
import { codeActions, declareSecretEdit, fixAllAction, registryInfo, toCompletionItem, toHover } from './features';
import { definition, documentSymbols, highlights, prepareRename, references, rename } from './navigation';
import { BasetenList } from './baseten';
import { SettingsStore } from './settings';
import { WorkspaceFiles, excludedBy, readProjectFile } from './workspace';

interface Cached {
  version: number;
  settings: Settings;
  baseten: BasetenSecrets | undefined;
  analysis: Analysis;
}

/** How many documents keep their analysis in memory (the ones used last). */
const CACHED_ANALYSES = 8;

function pathToUri(path: string): string {
  return pathToFileURL(path).href;
}

/** The path of a document URI, for matching the `files` globs. */
function pathOf(uri: string): string {
  try {
    return decodeURIComponent(new URL(uri).pathname);
  } catch {
    return uri;
  }
}

/** The path of a file URI, for finding its project file. */
function filePathOf(uri: string): string | undefined {
  return uri.startsWith('file:') ? pathOf(uri) : undefined;
}

/** Wires the analysis core to an LSP connection. */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const projects = new ProjectFiles(readProjectFile);
  const settings = new SettingsStore(connection, projects, filePathOf);
  const cache = new Map<string, Cached>();
  const pending = new Map<string, NodeJS.Immediate>();
  // A new list of Baseten's secret names: the open documents are analysed again.
  const baseten = new BasetenList(connection, () => {
    for (const doc of documents.all()) schedule(doc.uri);
  });

  /**
   * The one analysis of this document version, shared by every feature. Only the documents
   * used last keep theirs (a parse tree is large); another one is analysed again when asked.
   */
  const analysisFor = (doc: TextDocument, s: Settings): Analysis => {
    const hit = cache.get(doc.uri);
    cache.delete(doc.uri);
    const list = baseten.current();
    if (hit && hit.version === doc.version && hit.settings === s && hit.baseten === list) {
      cache.set(doc.uri, hit);
      return hit.analysis;
    }
    // The earlier version's parse is handed on (its tree is reused when only a scalar changed): it is
    // no longer cached, and no feature keeps an analysis past its own turn.
    const analysis = analyzeAs(doc.uri, doc.getText(), s, hit?.analysis.parsed);
    cache.set(doc.uri, { version: doc.version, settings: s, baseten: list, analysis });
    if (cache.size > CACHED_ANALYSES) cache.delete(cache.keys().next().value!);
    return analysis;
  };

  /** The files the user asked to check as Truss configs, whatever their keys. */
  let forced = new Set<string>();

  /**
   * Whether a document's name lets it be a Truss config: it matches `files`, or it is untitled (no
   * name to match: its keys decide), or the user asked to check it whatever its name.
   */
  const named = (uri: string, s: Settings): boolean =>
    uri.startsWith('untitled:') || forced.has(uri) || selection(s, pathOf(uri)) === 'selected';

  /** How the settings and the user's choices decide whether a text is checked, and with what. */
  const analyzeAs = (uri: string, text: string, s: Settings, previous?: ParsedDocument): Analysis => {
    const detect = !s.enable || !named(uri, s) ? 'never' : forced.has(uri) ? 'always' : s.detect;
    const analysis = analyze(text, { detect, rules: s.rules, baseten: baseten.current(), previous });
    for (const { rule, error } of analysis.internalErrors) logError(`rule ${rule}`, error);
    return analysis;
  };

  let workspaceFolders: string[] = [];
  /** `files.exclude` per workspace folder, asked once until the settings change. */
  const excluded = new Map<string, Promise<unknown>>();
  const excludes = (folder: string): Promise<unknown> => {
    let e = excluded.get(folder);
    if (!e) excluded.set(folder, (e = settings.section('files.exclude', pathToUri(folder))));
    return e;
  };
  const folders = new WorkspaceFiles(connection, {
    isOpen: (uri) => documents.get(uri) !== undefined,
    // Settings are asked per folder, not per file: one round trip each for a whole scan.
    wanted: async (uri, rel, folder) => {
      const s = settings.withProject(await settings.editor(pathToUri(folder)), uri);
      if (!s.enable || !named(uri, s)) return false;
      return !excludedBy(await excludes(folder), rel);
    },
    check: async (uri, text, folder) => {
      const s = settings.withProject(await settings.editor(folder ? pathToUri(folder) : uri), uri);
      const a = safe('workspace check', () => analyzeAs(uri, text, s), undefined);
      return { truss: !!a?.truss, diagnostics: a ? a.findings.map(toDiagnostic) : [] };
    },
    log: (m) => connection.console.log(m),
  });

  const validate = async (uri: string): Promise<void> => {
    const doc = documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    if (isProjectFile(uri)) return validateProject(doc);
    const s = await settings.get(uri);
    const current = documents.get(uri);
    if (!current || current.version !== version) return; // a newer version is on its way
    const analysis = safe('validation', () => analysisFor(current, s), undefined);
    const diagnostics = analysis ? analysis.findings.map(toDiagnostic) : [];
    await connection.sendDiagnostics({ uri, version, diagnostics });
    publishProjects();
  };

  /** A project file open in the editor: its problems as typed (its settings apply once saved). */
  const validateProject = async (doc: TextDocument): Promise<void> => {
    const { problems } = readProject(doc.getText());
    const diagnostics = problems.map((p) => projectDiagnostic(p));
    await connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  };

  /** Project files read from the disk with problems, published while they are not open. */
  const projectProblems = new Map<string, readonly ProjectProblem[]>();
  const publishProjects = (): void => {
    const known = projects.known();
    if (!known.length && !projectProblems.size) return; // nothing to say (and it runs after every edit)
    const now = new Map<string, readonly ProjectProblem[]>(known.map((p) => [pathToUri(p.path), p.problems]));
    for (const uri of projectProblems.keys()) if (!now.has(uri)) now.set(uri, []);
    for (const [uri, problems] of now) {
      const had = projectProblems.get(uri);
      if (documents.get(uri) || had === problems || (!problems.length && !had)) continue;
      if (problems.length) projectProblems.set(uri, problems);
      else projectProblems.delete(uri);
      const diagnostics = problems.map((p) => projectDiagnostic(p));
      connection.sendDiagnostics({ uri, diagnostics }).catch(() => undefined);
    }
  };

  /** A project file changed on disk: every setting that came from it is read again. */
  const projectChanged = (): void => {
    projects.forget();
    for (const doc of documents.all()) schedule(doc.uri);
    rescan().catch((err) => logError('workspace scan', err));
  };

  /**
   * Coalesces changes into one validation. It waits two turns of the event loop: the connection
   * handles one message per turn, so a newer change already received replaces this validation
   * before it runs, and no result is computed or published for a version already superseded.
   */
  const schedule = (uri: string): void => {
    const old = pending.get(uri);
    if (old) clearImmediate(old);
    const run = (): void => {
      pending.delete(uri);
      validate(uri).catch((e) => logError('validation', e));
    };
    pending.set(
      uri,
      setImmediate(() => pending.set(uri, setImmediate(run))),
    );
  };

  const logError = (what: string, e: unknown): void => {
    // Only the error's own first line and stack frames: never document text.
    const err = e instanceof Error ? e : new Error(String(e));
    const frames = (err.stack ?? '')
      .split('\n')
      .filter((l) => l.trimStart().startsWith('at '))
      .slice(0, 5);
    connection.console.error(`${what} failed: ${err.name}: ${err.message.split('\n')[0]}\n${frames.join('\n')}`);
  };

  function safe<T>(what: string, fn: () => T, fallback: T): T {
    try {
      return fn();
    } catch (e) {
      logError(what, e);
      return fallback;
    }
  }

  /** Runs a request against the current analysis of a document; empty when cancelled or on error. */
  const withAnalysis = async <T>(
    what: string,
    uri: string,
    token: CancellationToken,
    fallback: T,
    fn: (a: Analysis, doc: TextDocument) => T,
  ): Promise<T> => {
    const doc = documents.get(uri);
    if (!doc) return fallback;
    const s = await settings.get(uri);
    if (token.isCancellationRequested) return fallback;
    const current = documents.get(uri);
    if (!current) return fallback;
    return safe(what, () => fn(analysisFor(current, s), current), fallback);
  };

  let versionedEdits = false;
  let watchFiles = false;
  let foldersChange = false;

  /** Scans the workspace when the scope says so, or forgets its files. */
  const rescan = async (): Promise<CheckWorkspaceResult> => {
    const s = await settings.editor('');
    baseten.setEnabled(s.basetenCheck);
    folders.enabled = s.scope === 'workspace' && s.enable;
    if (!folders.enabled) folders.clear();
    const result = await folders.scan();
    publishProjects();
    return result;
  };

  connection.onInitialize((params): InitializeResult => {
    const caps = params.capabilities;
    settings.supported = !!caps.workspace?.configuration;
    versionedEdits = !!caps.workspace?.workspaceEdit?.documentChanges;
    watchFiles = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    foldersChange = !!caps.workspace?.workspaceFolders;
    workspaceFolders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    folders.setFolders(workspaceFolders);
    validateSchema({}); // compile the schema now, not on the first keystroke
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        completionProvider: { triggerCharacters: [':'] },
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
  });

  connection.onInitialized(() => {
    if (settings.supported) {
      connection.client.register(DidChangeConfigurationNotification.type, undefined).catch(() => undefined);
    }
    if (watchFiles) {
      const watchers = [{ globPattern: '**/*.{yaml,yml}' }];
      connection.client.register(DidChangeWatchedFilesNotification.type, { watchers }).catch(() => undefined);
    }
    // Only a client that said it supports workspace folders may be asked for their changes.
    if (foldersChange)
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        const now = new Set(workspaceFolders);
        for (const f of e.removed) now.delete(f.uri);
        for (const f of e.added) now.add(f.uri);
        workspaceFolders = [...now];
        folders.setFolders(workspaceFolders);
        rescan().catch((err) => logError('workspace scan', err));
      });
    rescan().catch((err) => logError('workspace scan', err));
  });

  connection.onDidChangeConfiguration(() => {
    settings.forget();
    excluded.clear();
    for (const doc of documents.all()) schedule(doc.uri);
    rescan().catch((err) => logError('workspace scan', err));
  });

  connection.onDidChangeWatchedFiles((params) => {
    if (params.changes.some((c) => isProjectFile(c.uri))) projectChanged();
    for (const change of params.changes) {
      folders.changed(change.uri, change.type === FileChangeType.Deleted).catch((err) => logError('file change', err));
    }
  });

  connection.onRequest(CHECK_WORKSPACE_REQUEST, () => rescan());

  connection.onNotification(CHECK_AS_TRUSS_NOTIFICATION, (params: CheckAsTrussParams) => {
    forced = new Set(params.uris);
    cache.clear();
    for (const doc of documents.all()) schedule(doc.uri);
    rescan().catch((err) => logError('workspace scan', err));
  });

  connection.onRequest(STATUS_REQUEST, async (params: StatusParams, token: CancellationToken) => {
    const doc = documents.get(params.uri);
    const s = await settings.get(params.uri);
    if (token.isCancellationRequested) return null;
    const none = { errors: 0, warnings: 0, others: 0 };
    if (!s.enable) return { truss: false, reason: 'validation is off (trussConfig.validate.enable)', ...none };
    if (!named(params.uri, s)) {
      const ignored = selection(s, pathOf(params.uri)) === 'ignored';
      const reason = ignored ? `ignored by ${s.project}` : 'not matched by trussConfig.files';
      return { truss: false, reason, ...none };
    }
    if (!doc) return null;
    return safe(
      'status',
      (): Status => {
        const a = analysisFor(doc, s);
        const count = (f: (sev: string) => boolean) => a.findings.filter((x) => f(x.severity)).length;
        const reason = forced.has(params.uri)
          ? 'you asked to check it as a Truss config'
          : s.detect === 'always'
            ? 'trussConfig.detect is "always"'
            : s.detect === 'never'
              ? 'trussConfig.detect is "never"'
              : detectionReason(a.parsed);
        return {
          truss: a.truss,
          baseten: baseten.state(),
          reason,
          errors: count((x) => x === 'error'),
          warnings: count((x) => x === 'warning'),
          others: count((x) => x !== 'error' && x !== 'warning'),
        };
      },
      null,
    );
  });

  connection.onCompletion((params, token) =>
    withAnalysis('completion', params.textDocument.uri, token, [], (a) =>
      complete(a, params.position).map(toCompletionItem),
    ),
  );

  connection.onHover((params, token) =>
    withAnalysis('hover', params.textDocument.uri, token, null, (a) => {
      const h = hover(a, params.position);
      return h ? toHover(h) : null;
    }),
  );

  connection.onCodeAction(async (params, token) => {
    const s = await settings.get(params.textDocument.uri);
    return withAnalysis('code actions', params.textDocument.uri, token, [], (a, doc) => {
      const ref = { uri: doc.uri, version: doc.version, versioned: versionedEdits };
      const only = params.context.only;
      const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
      const actions =
        wants(CodeActionKind.QuickFix) || wants(CodeActionKind.Refactor)
          ? codeActions(a, ref, params.range, params.context.diagnostics)
          : [];
      // Fix-all runs the whole check once per fix: only when asked for by kind (the Source Action menu,
      // codeActionsOnSave), never for the light bulb's requests on every cursor move.
      if (a.truss && only && wants(FIX_ALL_KIND)) {
        const fix = fixAllAction(a, ref, { detect: 'always', rules: s.rules, baseten: a.baseten });
        if (fix) actions.push(fix);
      }
      return actions;
    });
  });

  connection.onDefinition((p, token) =>
    withAnalysis('definition', p.textDocument.uri, token, [], (a) => definition(a, p.textDocument.uri, p.position)),
  );
  connection.onReferences((p, token) =>
    withAnalysis('references', p.textDocument.uri, token, [], (a) =>
      references(a, p.textDocument.uri, p.position, p.context.includeDeclaration),
    ),
  );
  connection.onDocumentHighlight((p, token) =>
    withAnalysis('highlight', p.textDocument.uri, token, [], (a) => highlights(a, p.position)),
  );
  connection.onPrepareRename((p, token) =>
    withAnalysis('prepare rename', p.textDocument.uri, token, null, (a) => prepareRename(a, p.position)),
  );
  // A refused rename is an answer for the user, not a failure: its ResponseError passes through.
  connection.onRenameRequest(async (p, token) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc || token.isCancellationRequested) return null;
    const analysis = analysisFor(doc, await settings.get(doc.uri));
    try {
      return rename(analysis, doc.uri, p.position, p.newName);
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      logError('rename', e);
      return null;
    }
  });
  connection.onDocumentSymbol((p, token) =>
    withAnalysis('symbols', p.textDocument.uri, token, [], (a) => documentSymbols(a)),
  );

  connection.onRequest(REGISTRY_INFO_REQUEST, (params: RegistryInfoParams, token: CancellationToken) =>
    withAnalysis('registry info', params.uri, token, null, (a) => registryInfo(a)),
  );

  documents.onDidOpen((e) => {
    folders.opened(e.document.uri);
    schedule(e.document.uri);
  });
  documents.onDidChangeContent((e) => schedule(e.document.uri));
  documents.onDidSave((e) => {
    // A client that watches files tells of a saved project file through the watcher.
    if (!watchFiles && isProjectFile(e.document.uri)) projectChanged();
    // A save may come with a new secret in Baseten (created for this config): look again.
    void baseten.refresh();
  });
  baseten.listen(async (uri, name) => {
    const s = await settings.get(uri);
    const doc = documents.get(uri);
    return (
      doc &&
      safe(
        'declare secret',
        () => declareSecretEdit(analysisFor(doc, s), { uri: doc.uri, version: doc.version }, name, versionedEdits),
        null,
      )
    );
  });
  documents.onDidClose((e) => {
    const t = pending.get(e.document.uri);
    if (t) clearImmediate(t);
    pending.delete(e.document.uri);
    cache.delete(e.document.uri);
    settings.forget(e.document.uri);
    // Closed, the file is checked from the disk again when the workspace is in scope.
    const uri = e.document.uri;
    connection
      .sendDiagnostics({ uri, diagnostics: [] })
      .then(() => {
        if (isProjectFile(uri)) return publishProjects();
        return folders.enabled && uri.startsWith('file:') ? folders.changed(uri, false) : undefined;
      })
      .catch((err) => logError('close', err));
  });

  documents.listen(connection);
  connection.listen();
}
