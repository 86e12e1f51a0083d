/**
 * The names and message shapes the VS Code client and the language server share: the one place
 * both import them from (see ARCHITECTURE.md). Types and constants only.
 */

/** Request `trussConfig/registryInfo`: the pull-credential secret the document's image needs. */
export const REGISTRY_INFO_REQUEST = 'trussConfig/registryInfo';

export interface RegistryInfoParams {
  uri: string;
}

/** What the credential command needs: the secret's name and the user name the registry dictates. */
export interface RegistryInfo {
  secretName: string;
  user: string;
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
  /** Why it is or is not checked, in a few words ("1 of 5 top-level keys are Truss keys"). */
  reason: string;
  /** Errors, warnings and other findings in it (0 when not checked). */
  errors: number;
  warnings: number;
  others: number;
}

/** Request `trussConfig/checkWorkspace`: scan the workspace again now; answers when done. */
export const CHECK_WORKSPACE_REQUEST = 'trussConfig/checkWorkspace';

export interface CheckWorkspaceResult {
  /** Truss configs found, and how many of them have problems. */
  configs: number;
  withProblems: number;
}

/** Commands of the extension (the palette's "Truss" category). */
export const RESTART_COMMAND = 'trussConfig.restartServer';
export const SHOW_OUTPUT_COMMAND = 'trussConfig.showOutput';
export const CHECK_WORKSPACE_COMMAND = 'trussConfig.checkWorkspace';
/** Command: check the file as a Truss config from now on (remembered per file); argument: the URI. */
export const CHECK_AS_TRUSS_COMMAND = 'trussConfig.checkAsTruss';

/** The code action kind of fix-all, for `editor.codeActionsOnSave`. */
export const FIX_ALL_KIND = 'source.fixAll.truss';

/** Notification `trussConfig/checkAsTruss`: the files the user asked to check as Truss configs. */
export const CHECK_AS_TRUSS_NOTIFICATION = 'trussConfig/checkAsTruss';

export interface CheckAsTrussParams {
  uris: string[];
}

/**
 * V8 flags the client starts the server with (the benchmark starts it the same way): a young generation
 * of 2 MB semi-spaces instead of up to 16 MB, and no background compiler or GC threads, each of which
 * keeps memory of its own. Together a third less memory with a corpus of configs open.
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=2', '--single-threaded'];
