import {
  type CancellationToken,
  type Connection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  TextDocuments,
  WatchKind,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CHECK_AS_TRUSS_NOTIFICATION,
  CHECK_WORKSPACE_REQUEST,
  type CheckAsTrussParams,
  INTERPRETERS_NOTIFICATION,
  type InterpretersParams,
  REGISTRY_INFO_REQUEST,
  STATUS_REQUEST,
} from '../../../protocol/protocol';
import { ProjectFiles } from '../engine/project';
import { BasetenList } from './baseten';
import { Analyses } from './documents';
import * as handlers from './handlers';
import { guarded } from './log';
import * as notifications from './notifications';
import { ProjectDiagnostics } from './projects';
import { register } from './register';
import { configFolder, listCodeFiles, readCodeFile } from '../environment/modelCode';
import { Releases } from './releases';
import { TrussRuns } from './trussRun';
import { SettingsStore } from './settings';
import type { Handler, State } from './state';
import { filePathOf } from './uris';
import { WorkspaceFiles, configsAbove, readConfigFile, readProjectFile } from './workspace';
import { CodeDiagnostics } from './codeDiagnostics';
import { TrussCode } from './trussCode';
import { CodeWatchers } from './python';

/** Wires the analysis core to an LSP connection: the state, and which handler answers what. */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const isOpen = (uri: string) => documents.get(uri) !== undefined;
  const log = { error: (m: string) => connection.console.error(m) };
  const send = connection.sendDiagnostics.bind(connection);
  const projectFiles = new ProjectFiles(readProjectFile);
  const settings = new SettingsStore(connection, projectFiles, filePathOf);
  const projects = new ProjectDiagnostics(projectFiles, isOpen, send);
  // A new list of Baseten's secret names (sign-in, sign-out, refresh): every known config is checked again.
  const baseten = new BasetenList(connection, () => {
    analyses.scheduleAll();
    notifications.rescan(state);
  });
  const releases = new Releases((file) => folders.rootOf(file));
  const truss = new TrussRuns({
    python: (uri, s) => releases.python(uri, s),
    answered: (uri) => analyses.schedule(uri),
    log,
  });
  /** The open document at a file path (the model code's text in the editor wins over the disk's). */
  const openAt = (path: string) => {
    for (const doc of documents.all()) {
      if (filePathOf(doc.uri) === path) return { uri: doc.uri, text: doc.getText() };
    }
    return undefined;
  };
  const code = new TrussCode({
    open: openAt,
    list: listCodeFiles,
    read: readCodeFile,
    readConfig: readConfigFile,
    above: (path) => configsAbove(path, folders.folderOf(path)),
    foldersChanged: () => watchLater(),
  });
  const codeDiagnostics = new CodeDiagnostics({
    send,
    uriOf: (configUri, file) => code.uriOf(configUri, file),
    shown: (uri) => folders.enabled || isOpen(uri),
  });
  const analyses = new Analyses({
    documents,
    settings,
    baseten,
    releases,
    truss,
    projects,
    send,
    log,
    code,
    codeDiagnostics,
    folder: (uri) => {
      const path = filePathOf(uri);
      return path === undefined ? undefined : configFolder(path);
    },
  });
  const folders = new WorkspaceFiles(connection, {
    isOpen,
    wanted: (uri, rel, folder) => notifications.wanted(state, uri, rel, folder),
    check: (uri, text, folder) => notifications.checkUnopened(state, uri, text, folder),
    forgot: (uri) => notifications.forgotten(state, uri),
    log: (m) => connection.console.log(m),
  });
  const capabilities = {
    versionedEdits: false,
    watchFiles: false,
    foldersChange: false,
    relativeWatch: false,
    configurationRegistration: false,
  };
  // The Python files the client watches: below the Trusses' code folders, registered again when they change.
  const codeWatchers = new CodeWatchers((watchers) =>
    register(connection, DidChangeWatchedFilesNotification.method, { watchers }).catch(() => undefined),
  );
  const watchLater = () => codeWatchers.later(state);
  const state: State = {
    documents,
    settings,
    analyses,
    baseten,
    releases,
    truss,
    folders,
    projectFiles,
    projects,
    capabilities,
    code,
    codeDiagnostics,
    codePending: new Map(),
    send,
    log,
  };
  /** A request handler on this state: a failure is logged and answered with `fallback`. */
  const handle = <P, R>(what: string, fallback: R, handler: Handler<P, R>) =>
    guarded(log, what, fallback, (p: P, token?: CancellationToken) => handler(state, p, token));

  connection.onInitialize((p) => handlers.initialize(state, p));
  connection.onInitialized(() => {
    // A client that cannot register it still sends the notification: the handler below takes it.
    if (settings.supported && capabilities.configurationRegistration) {
      register(connection, DidChangeConfigurationNotification.method).catch(() => undefined);
    }
    if (capabilities.watchFiles) {
      // YAML files, folders created and deleted (a rename is both: their configs come or go), and the files
      // that tell which truss is installed or pinned (lsp/releases.ts).
      const watchers = [
        { globPattern: '**/*.{yaml,yml}' },
        { globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete },
        { globPattern: '**/{pyvenv.cfg,requirements.txt,requirements-dev.txt,pyproject.toml}' },
        { globPattern: '**/truss-*.dist-info/METADATA' },
      ];
      register(connection, DidChangeWatchedFilesNotification.method, { watchers }).catch(() => undefined);
      watchLater();
    }
    // Only a client that said it supports workspace folders may be asked for their changes.
    if (capabilities.foldersChange) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => notifications.foldersChanged(state, e));
    }
    notifications.rescan(state);
  });

  connection.onDidChangeConfiguration(() => notifications.configurationChanged(state));
  connection.onDidChangeWatchedFiles((p) => notifications.watchedFilesChanged(state, p));
  connection.onNotification(CHECK_AS_TRUSS_NOTIFICATION, (p: CheckAsTrussParams) =>
    notifications.checkAsTruss(state, p),
  );
  connection.onNotification(INTERPRETERS_NOTIFICATION, (p: InterpretersParams) => notifications.interpreters(state, p));
  documents.onDidOpen((e) => notifications.opened(state, e.document.uri));
  documents.onDidChangeContent((e) => notifications.changed(state, e.document.uri));
  documents.onDidSave((e) => notifications.saved(state, e.document.uri));
  documents.onDidClose((e) => notifications.closed(state, e.document.uri));

  connection.onRequest(CHECK_WORKSPACE_REQUEST, () => handlers.checkAll(state));
  connection.onRequest(STATUS_REQUEST, handle('status', null, handlers.status));
  connection.onCompletion(handle('completion', [], handlers.completion));
  connection.onHover(handle('hover', null, handlers.hover));
  connection.onCodeAction(handle('code actions', [], handlers.codeActions));
  connection.onDefinition(handle('definition', [], handlers.definition));
  connection.onReferences(handle('references', [], handlers.references));
  connection.onDocumentHighlight(handle('highlight', [], handlers.highlights));
  connection.onPrepareRename(handle('prepare rename', null, handlers.prepareRename));
  connection.onRenameRequest(handle('rename', null, handlers.rename));
  connection.onDocumentSymbol(handle('symbols', [], handlers.symbols));
  connection.onRequest(REGISTRY_INFO_REQUEST, handle('registry info', null, handlers.registryInfo));
  const declare = handle('declare secret', null, handlers.declareSecret);
  baseten.listen((uri, name) => declare({ uri, name }));

  connection.onShutdown(() => truss.stop());
  documents.listen(connection);
  connection.listen();
}
