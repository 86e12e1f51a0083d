/** The server's state: what the handlers read and change, as one explicit object. */
import type { CancellationToken, PublishDiagnosticsParams } from 'vscode-languageserver';
import type { ProjectFiles } from '../engine/project';
import type { Settings } from '../engine/settings';
import type { BasetenList } from './baseten';
import type { Analyses, OpenDocuments } from './documents';
import type { Log } from './log';
import type { ProjectDiagnostics } from './projects';
import type { Releases } from './releases';
import type { SettingsStore } from './settings';
import type { WorkspaceFiles } from './workspace';
import type { CodeDiagnostics } from './codeDiagnostics';
import type { TrussCode } from './trussCode';
import type { TrussRuns } from './trussRun';

/** What the client said it supports, from `initialize`. */
export interface Capabilities {
  /** Workspace edits with document versions (then a stale fix is refused). */
  versionedEdits: boolean;
  /** Dynamic registration of file watchers. */
  watchFiles: boolean;
  /** Dynamic registration for `workspace/didChangeConfiguration` (eglot warns at a registration it did not offer). */
  configurationRegistration?: boolean;
  /** File watchers below a folder (`RelativePattern`): then only the Trusses' code folders are watched. */
  relativeWatch?: boolean;
  /** Notifications of added and removed workspace folders. */
  foldersChange: boolean;
}

/** What a handler of one document reads. */
export interface DocumentState {
  documents: OpenDocuments;
  settings: { get(uri: string): Promise<Settings> };
  analyses: Analyses;
  /** Where a refused quick fix is told (its code and reason, never a value). */
  log?: Log;
  /** The model code of the Trusses (absent in a unit test: Python files get nothing). */
  code?: TrussCode;
}

export interface State extends DocumentState {
  settings: SettingsStore;
  baseten: BasetenList;
  /** The truss release each document is judged by. */
  releases: Releases;
  /** The opt-in truss run: the installed truss asked on open and save. */
  truss: TrussRuns;
  /** The Truss configs of the workspace folders that are not open. */
  folders: WorkspaceFiles;
  /** The project files read (`.truss-config.yaml`), and their diagnostics. */
  projectFiles: ProjectFiles;
  projects: ProjectDiagnostics;
  capabilities: Capabilities;
  code: TrussCode;
  /** The problems of the Trusses' Python files. */
  codeDiagnostics: CodeDiagnostics;
  /** The configs to analyse again once a burst of changes to their Python files is over. */
  codePending: Map<string, NodeJS.Immediate>;
  send(params: PublishDiagnosticsParams): Promise<void>;
  log: Log;
}

/** A request handler: the state, the request's parameters and its cancellation. */
export type Handler<P, R> = (state: State, params: P, token?: CancellationToken) => Promise<R>;
