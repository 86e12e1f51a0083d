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

/** Scans the workspace folders again (in the background). */
export function rescan(state: State): void {
  checkWorkspace(state).catch((err) => logError(state.log, 'workspace scan', err));
}

export function configurationChanged(state: State): void {
  state.settings.forget();
  state.releases.clear();
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

export function watchedFilesChanged(state: State, p: DidChangeWatchedFilesParams): void {
  if (p.changes.some((c) => isProjectFile(c.uri))) projectChanged(state);
  if (p.changes.some((c) => isEnvironmentFile(c.uri))) environmentChanged(state);
  for (const change of p.changes) {
    state.folders
      .changed(change.uri, change.type === FileChangeType.Deleted)
      .catch((err) => logError(state.log, 'file change', err));
  }
}

export function opened(state: State, uri: string): void {
  state.folders.opened(uri);
  state.analyses.schedule(uri);
}

export function saved(state: State, uri: string): void {
  // A client that watches files tells of a saved project file through the watcher.
  if (!state.capabilities.watchFiles && isProjectFile(uri)) projectChanged(state);
  // A save may come with a new secret in Baseten (created for this config): look again.
  void state.baseten.refresh();
}

/** Closed, the file is checked from the disk again when the workspace is in scope. */
export function closed(state: State, uri: string): void {
  state.analyses.close(uri);
  state.settings.forget(uri);
  state
    .send({ uri, diagnostics: [] })
    .then(() => {
      if (isProjectFile(uri)) return state.projects.publish();
      return state.folders.enabled && uri.startsWith('file:') ? state.folders.changed(uri, false) : undefined;
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
  const a = safe(state.log, 'workspace check', () => state.analyses.analyze(uri, text, s), undefined);
  return { truss: !!a?.truss, diagnostics: a ? a.findings.map(toDiagnostic) : [] };
}
