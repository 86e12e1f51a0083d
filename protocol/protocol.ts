/**
 * The names and message shapes the VS Code client and the language server share: the one place
 * both import them from (see ARCHITECTURE.md). Types and constants only.
 */

/** Request `trussConfig/registryInfo`: the pull-credential secret the document's image needs. */
export const REGISTRY_INFO_REQUEST = 'trussConfig/registryInfo';

/**
 * Without `host` or `secretName`: the document's image. With `host` (as the user typed it) or `secretName`:
 * that registry, named as the `registry-secret-mismatch` rule names it.
 */
export interface RegistryInfoParams {
  uri?: string;
  host?: string;
  secretName?: string;
}

/** What the credential command needs: the secret's name and the user name the registry dictates. */
export interface RegistryInfo {
  secretName: string;
  user: string;
  /** The document has `docker_auth` for this registry: the secret would be `registry-credentials-twice`. */
  twice?: boolean;
  /** The registry's tokens expire after this many hours (ECR: 12). */
  expiresHours?: number;
}

/** Command: make a `DOCKER_REGISTRY_<registry>` value; its argument is a `Partial<RegistryInfo>`. */
export const CREATE_CREDENTIAL_COMMAND = 'trussConfig.createRegistryCredential';

/** The prefix of the secrets Baseten reads registry pull credentials from. */
export const REGISTRY_SECRET_PREFIX = 'DOCKER_REGISTRY_';

/** Request `trussConfig/status`: whether a document is checked as a Truss config, and why. */
export const STATUS_REQUEST = 'trussConfig/status';

export interface StatusParams {
  uri: string;
}

export interface Status {
  /** Checked as a Truss config. */
  truss: boolean;
  /** Its name lets it be a Truss config (`trussConfig.files`, untitled, or asked for); else no Truss entries. */
  candidate?: boolean;
  /** The user asked to check it as a Truss config (Check This File as a Truss Config). */
  forced?: boolean;
  /** Why it is or is not checked, in a few words ("1 of 5 top-level keys are Truss keys"). */
  reason: string;
  /** Errors, warnings and other findings in it (0 when not checked). */
  errors: number;
  warnings: number;
  others: number;
  /** The Baseten workspace check's state. */
  baseten?: BasetenState;
  /**
   * The truss release the document is judged by, and where it was found: `setting`, `interpreter`,
   * `venv`, `path`, `requirements` (a pin, as a hint), or `default` (none found: the newest known).
   */
  release?: { version: string; source: string; where: string };
  /** The opt-in truss run's state (`trussConfig.truss.run`), one line; absent when it is off. */
  trussRun?: string;
}

/**
 * Notification `trussConfig/interpreters` (client to server): the Python interpreter VS Code's Python
 * extension chose for each workspace folder, when that extension is installed. Sent again on change.
 */
export const INTERPRETERS_NOTIFICATION = 'trussConfig/interpreters';

export interface InterpretersParams {
  folders: Array<{ folder: string; python: string }>;
}

/** Request `trussConfig/checkWorkspace`: scan the workspace again now; answers when done. */
export const CHECK_WORKSPACE_REQUEST = 'trussConfig/checkWorkspace';

export interface CheckWorkspaceResult {
  /** Truss configs found, open or not, and how many of them have problems. */
  configs: number;
  withProblems: number;
  /** How many of them are open in the editor. */
  open?: number;
}

/** Commands of the extension (the palette's "Truss" category). */
export const RESTART_COMMAND = 'trussConfig.restartServer';
export const SHOW_OUTPUT_COMMAND = 'trussConfig.showOutput';
export const CHECK_WORKSPACE_COMMAND = 'trussConfig.checkWorkspace';
/** Command: check the file as a Truss config from now on (remembered per file); argument: the URI. */
export const CHECK_AS_TRUSS_COMMAND = 'trussConfig.checkAsTruss';
/** Command: undo CHECK_AS_TRUSS_COMMAND for a file; argument: the URI. */
export const STOP_CHECK_AS_TRUSS_COMMAND = 'trussConfig.stopCheckingAsTruss';

/** The code action kind of fix-all, for `editor.codeActionsOnSave`. */
export const FIX_ALL_KIND = 'source.fixAll.truss';

/** Notification `trussConfig/checkAsTruss`: the files the user asked to check as Truss configs. */
export const CHECK_AS_TRUSS_NOTIFICATION = 'trussConfig/checkAsTruss';

export interface CheckAsTrussParams {
  uris: string[];
}

/** Commands of the Baseten workspace check. */
export const BASETEN_SIGN_IN_COMMAND = 'trussConfig.basetenSignIn';
export const BASETEN_SIGN_OUT_COMMAND = 'trussConfig.basetenSignOut';
export const BASETEN_REFRESH_COMMAND = 'trussConfig.basetenRefresh';

/**
 * Request `trussConfig/basetenAuth`: the Baseten API key the server may use, from the client's secret
 * storage, or the one the server found itself (env, ~/.trussrc) when the user allowed it; neither is
 * signed out. Answers the state. The client sends it with tracing paused: the key is never traced.
 */
export const BASETEN_AUTH_REQUEST = 'trussConfig/basetenAuth';

export interface BasetenAuthParams {
  key?: string;
  useDiscovered?: boolean;
}

/** Request `trussConfig/basetenRefresh`: fetch the workspace's secret names now; answers the state. */
export const BASETEN_REFRESH_REQUEST = 'trussConfig/basetenRefresh';

/** Notification `trussConfig/basetenState` (server to client): the state changed. */
export const BASETEN_STATE_NOTIFICATION = 'trussConfig/basetenState';

export interface BasetenState {
  /** `off`: the setting is off; `ready`: the names are known; `failed`: why is in `reason`. */
  state: 'off' | 'signed-out' | 'loading' | 'ready' | 'failed';
  /** A few words: "12 secrets", "signed out", "401 unauthorized", "timeout after 3 s". */
  reason: string;
  /** How many secrets the workspace (or team) has. */
  count?: number;
  team?: string;
  /** Where the server found a key by itself ("~/.trussrc [baseten]"), never the key. */
  discovered?: string;
  /** A trussrc remote whose key is in the OS keyring, which the server does not read. */
  keyring?: string;
  /** Which key is used: the one signed in with, or the discovered one. */
  using?: 'stored' | 'discovered';
}

/**
 * Request `trussConfig/basetenUpsert`: create or replace a Baseten secret (sent with tracing paused: it
 * carries the value). With `uri`, the answer's `edit` declares `name: null` under the document's
 * `secrets` when missing.
 */
export const BASETEN_UPSERT_REQUEST = 'trussConfig/basetenUpsert';

export interface BasetenUpsertParams {
  name: string;
  value: string;
  uri?: string;
}

export interface BasetenUpsertResult {
  ok: boolean;
  /** Why not, in a few words. */
  reason?: string;
  /** A WorkspaceEdit (LSP) adding the declaration, when one is needed. */
  edit?: unknown;
}

/**
 * V8 flags the client starts the server with (the benchmark starts it the same way): a young generation
 * of 2 MB semi-spaces instead of up to 16 MB, and no background compiler or GC threads, each of which
 * keeps memory of its own. Together a third less memory with a corpus of configs open.
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=2', '--single-threaded'];
