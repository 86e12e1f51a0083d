/**
 * The notifications the server follows (documents opened, saved and closed, settings, files and
 * folders changed), and the hooks of the unopened configs' check: plain functions of the state.
 */
import {
  type DidChangeWatchedFilesParams,
  FileChangeType,
  type WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver';
import type { CheckAsTrussParams, InterpretersParams } from '../../../protocol/protocol';
import { isProjectFile } from '../engine/project';
import { toDiagnostic } from './convert';
import { checkWorkspace } from './handlers';
import { logError, safe } from './log';
import { isEnvironmentFile } from './releases';
import type { State } from './state';
import { filePathOf, pathToUri } from './uris';
import { type FileCheck, excludedBy } from './workspace';
import { isPython } from './documents';
import { codeChanged, refreshTruss, trussOf } from './python';

/** Scans the workspace folders again (in the background). */
export function rescan(state: State): void {
  checkWorkspace(state).catch((err) => logError(state.log, 'workspace scan', err));
}

export function configurationChanged(state: State): void {
  state.settings.forget();
  state.releases.clear();
  state.truss.stop();
  state.analyses.scheduleAll();
  rescan(state);
}

/** The user changed the files to check as Truss configs whatever their keys. */
export function checkAsTruss(state: State, p: CheckAsTrussParams): void {
  state.analyses.setForced(p.uris);
  state.analyses.scheduleAll();
  rescan(state);
}

export function foldersChanged(state: State, e: WorkspaceFoldersChangeEvent): void {
  state.folders.changeFolders(
    e.added.map((f) => f.uri),
    e.removed.map((f) => f.uri),
  );
  rescan(state);
}

/** A file that tells which truss is installed changed: each folder's truss is found again. */
function environmentChanged(state: State): void {
  state.releases.clear();
  state.truss.stop();
  state.analyses.scheduleAll();
  rescan(state);
}

/** VS Code's Python extension chose interpreters: the truss installed in each is used. */
export function interpreters(state: State, p: InterpretersParams): void {
  const byFolder = new Map<string, string>();
  for (const { folder, python } of p.folders) {
    const path = filePathOf(folder);
    if (path !== undefined && typeof python === 'string' && python) byFolder.set(path, python);
  }
  state.releases.setInterpreters(byFolder);
  state.analyses.scheduleAll();
  rescan(state);
}

/** A project file changed on disk: every setting that came from it is read again. */
function projectChanged(state: State): void {
  state.projectFiles.forget();
  state.analyses.scheduleAll();
  rescan(state);
}

function isYamlFile(uri: string): boolean {
  return /\.ya?ml$/i.test(uri);
}

export function watchedFilesChanged(state: State, p: DidChangeWatchedFilesParams): void {
  if (p.changes.some((c) => isProjectFile(c.uri))) projectChanged(state);
  if (p.changes.some((c) => isEnvironmentFile(c.uri))) environmentChanged(state);
  for (const change of p.changes) {
    // A Python file of a Truss: its config is analysed again (an open document's text wins over the disk).
    if (isPython({ uri: change.uri })) {
      if (!state.documents.get(change.uri)) codeChanged(state, change.uri);
      continue;
    }
    const deleted = change.type === FileChangeType.Deleted;
    if (!isYamlFile(change.uri)) {
      // A folder deleted, created or renamed (rm -rf, mv outside the editor): the configs below it.
      if (change.type === FileChangeType.Changed) continue;
      state.folders
        .folderChanged(change.uri, deleted)
        .then((gone) => gone.forEach((u) => state.code.forget(u)))
        .catch((err) => logError(state.log, 'folder change', err));
      continue;
    }
    if (deleted) state.code.forget(change.uri);
    state.folders.changed(change.uri, deleted).catch((err) => logError(state.log, 'file change', err));
  }
}

export function opened(state: State, uri: string): void {
  const doc = state.documents.get(uri);
  if (doc && isPython(doc)) return pythonOpened(state, uri);
  state.folders.opened(uri);
  state.analyses.schedule(uri);
  askTruss(state, uri);
}

/** Asks the installed truss about an open config's text, when the user opted in (never on a keystroke). */
function askTruss(state: State, uri: string): void {
  state.settings
    .get(uri)
    .then((s) => {
      const doc = state.documents.get(uri);
      if (s.truss.run && doc && state.analyses.get(doc, s).truss) state.truss.ask(uri, doc.getText(), s);
    })
    .catch((err) => logError(state.log, 'truss run', err));
}

/** A document's text changed in the editor. */
export function changed(state: State, uri: string): void {
  const doc = state.documents.get(uri);
  if (doc && isPython(doc)) return codeChanged(state, uri);
  state.analyses.schedule(uri);
}

/**
 * A Python file opened: the Truss that holds it is found (its config analysed, from disk if it is not
 * open), then analysed with the open text. A Python file of no Truss gets nothing.
 */
function pythonOpened(state: State, uri: string): void {
  trussOf(state, uri)
    .then(() => codeChanged(state, uri))
    .catch((err) => logError(state.log, 'open', err));
}

export function saved(state: State, uri: string): void {
  // A client that watches files tells of a saved project file through the watcher.
  if (!state.capabilities.watchFiles && isProjectFile(uri)) projectChanged(state);
  // A save may come with a new secret in Baseten (created for this config): look again.
  void state.baseten.refresh();
  if (!isPython({ uri })) askTruss(state, uri);
}

/** Closed, the file is checked from the disk again when the workspace is in scope. */
export function closed(state: State, uri: string): void {
  // A Python file: its Truss reads it from disk again (and, out of scope, shows its problems no more).
  if (isPython({ uri })) return codeChanged(state, uri);
  state.analyses.close(uri);
  state.settings.forget(uri);
  state
    .send({ uri, diagnostics: [] })
    .then(() => {
      if (isProjectFile(uri)) return state.projects.publish();
      if (state.folders.enabled && uri.startsWith('file:')) return state.folders.changed(uri, false);
      // Out of scope, the config's problems go; those of its open Python files stay, from its disk text.
      return refreshTruss(state, uri);
    })
    .catch((err) => logError(state.log, 'close', err));
}

/** Whether a file of a folder may be a Truss config. Settings are asked per folder, not per file. */
export async function wanted(state: State, uri: string, rel: string, folder: string): Promise<boolean> {
  const s = state.settings.withProject(await state.settings.editor(pathToUri(folder)), uri);
  if (!s.enable || !state.analyses.named(uri, s)) return false;
  return !excludedBy(await state.settings.filesExclude(pathToUri(folder)), rel);
}

/** Checks the text of a file that is not open. */
export async function checkUnopened(
  state: State,
  uri: string,
  text: string,
  folder: string | undefined,
): Promise<FileCheck> {
  const s = state.settings.withProject(await state.settings.editor(folder ? pathToUri(folder) : uri), uri);
  const analysis = () => state.analyses.analyze(uri, text, s);
  let a = safe(state.log, 'workspace check', analysis, undefined);
  if (a?.truss && !a.code && state.code.cold(uri)) {
    await state.code.warm(uri); // its Python files parsed one per turn, the scan stays responsive
    a = safe(state.log, 'workspace check', analysis, undefined);
  }
  // The config's own findings under its URI; those of its Python files under theirs.
  if (!state.documents.get(uri)) await state.codeDiagnostics.publish(uri, a);
  return { truss: !!a?.truss, diagnostics: a ? a.findings.filter((f) => f.file === undefined).map(toDiagnostic) : [] };
}

/** An unopened config's problems are no longer shown (deleted, excluded, out of scope): nor its code's. */
export function forgotten(state: State, uri: string): void {
  if (state.documents.get(uri)) return;
  state.codeDiagnostics.clear(uri).catch((err) => logError(state.log, 'forget', err));
}
