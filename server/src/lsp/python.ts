/**
 * The Python files of a Truss in the server: which config's analysis a Python file belongs to, and
 * analysing a config again when one of its Python files changes. A Python file outside every Truss gets
 * nothing: no diagnostic, no answer.
 */
import type { CancellationToken, Disposable, FileSystemWatcher } from 'vscode-languageserver';
import type { Analysis } from '../core/analysis';
import { codeFile } from '../core/truss/modelCode';
import { logError } from './log';
import type { DocumentState, State } from './state';
import { filePathOf, pathToUri } from './uris';

/** A config's current analysis: its open document's, else its text on disk. */
export async function configAnalysis(
  state: DocumentState,
  configUri: string,
  token?: CancellationToken,
): Promise<Analysis | undefined> {
  const settings = await state.settings.get(configUri);
  if (token?.isCancellationRequested) return undefined;
  const doc = state.documents.get(configUri);
  if (doc) return state.analyses.ready(configUri, () => state.analyses.get(doc, settings));
  const text = state.code?.readConfig(configUri);
  if (text === undefined) {
    state.code?.forget(configUri);
    return undefined;
  }
  return state.analyses.ready(configUri, () => state.analyses.ofText(configUri, text, settings));
}

/** The Truss of a Python file: its config, the file's path in the Truss, and the config's analysis. */
export interface TrussOf {
  configUri: string;
  file: string;
  analysis: Analysis;
}

/**
 * The Truss whose model code holds the Python file at `uri` (the nearest, when two do): known from the
 * configs analysed so far, else found in the folders above the file. Undefined for any other file.
 */
export async function trussOf(
  state: DocumentState,
  uri: string,
  token?: CancellationToken,
): Promise<TrussOf | undefined> {
  const code = state.code;
  const path = filePathOf(uri);
  if (!code || path === undefined) return undefined;
  let owners = code.owners(path);
  if (!owners.length) {
    // Analysing a config makes its Truss known (its folders), when it is one.
    for (const configUri of code.configsAbove(path)) await configAnalysis(state, configUri, token);
    owners = code.owners(path);
  }
  for (const o of owners) {
    const analysis = await configAnalysis(state, o.configUri, token);
    if (token?.isCancellationRequested) return undefined;
    if (analysis?.truss && codeFile(analysis.code, o.file)) return { ...o, analysis };
  }
  return undefined;
}

/** The Truss configs other than `configUri` whose code holds the file at `uri`. */
export function otherOwners(state: DocumentState, configUri: string, uri: string): string[] {
  const path = filePathOf(uri);
  if (!state.code || path === undefined) return [];
  return state.code
    .owners(path)
    .map((o) => o.configUri)
    .filter((c) => c !== configUri);
}

/**
 * A Python file changed (its text in the editor, or on disk): the Trusses that hold it take its new
 * text, and their configs are analysed again, once for a burst of changes (two turns of the event loop,
 * as `Analyses.schedule` waits).
 */
export function codeChanged(state: State, uri: string): void {
  const path = filePathOf(uri);
  if (path === undefined) return;
  for (const configUri of state.code.changed(path)) refreshLater(state, configUri);
}

function refreshLater(state: State, configUri: string): void {
  const waiting = state.codePending;
  const old = waiting.get(configUri);
  if (old) clearImmediate(old);
  const run = (): void => {
    waiting.delete(configUri);
    refreshTruss(state, configUri).catch((e) => logError(state.log, 'model code', e));
  };
  waiting.set(
    configUri,
    setImmediate(() => waiting.set(configUri, setImmediate(run))),
  );
}

/**
 * Analyses a config again after its model code changed, and publishes what changed: an open config
 * through its validation; an unopened one through the workspace check when the workspace is in scope,
 * else only the problems of its open Python files.
 */
export async function refreshTruss(state: State, configUri: string): Promise<void> {
  if (state.documents.get(configUri)) return state.analyses.schedule(configUri);
  if (state.folders.enabled) return state.folders.checkFile(configUri);
  const analysis = await configAnalysis(state, configUri);
  await state.codeDiagnostics.publish(configUri, analysis);
}

/**
 * The Python files the client is asked to watch: below the Trusses' code folders only (a `RelativePattern`
 * per folder), or every Python file for a client that cannot watch below a folder. Registered again, one
 * registration at a time, when a Truss is found, goes, or names other folders.
 */
export class CodeWatchers {
  private registration: Promise<Disposable | undefined> | undefined;
  private registered = '';
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly register: (watchers: FileSystemWatcher[]) => Promise<Disposable | undefined>) {}

  /** The folders changed: registers again after a moment (a scan finds many Trusses in a row). */
  later(state: State): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.update(state), 50);
  }

  private update(state: State): void {
    if (!state.capabilities.watchFiles) return;
    const watchers: FileSystemWatcher[] = state.capabilities.relativeWatch
      ? state.code.folders().map((f) => ({ globPattern: { baseUri: pathToUri(f), pattern: '**/*.py' } }))
      : [{ globPattern: '**/*.py' }];
    const key = JSON.stringify(watchers);
    if (key === this.registered) return;
    this.registered = key;
    const old = this.registration;
    this.registration = (async () => {
      (await old)?.dispose();
      return watchers.length ? this.register(watchers) : undefined;
    })();
  }
}
