import * as vscode from 'vscode';
import { type LanguageClient, Trace, type WorkspaceEdit } from 'vscode-languageclient/node';
import {
  BASETEN_AUTH_REQUEST,
  BASETEN_REFRESH_REQUEST,
  BASETEN_UPSERT_REQUEST,
  type BasetenAuthParams,
  type BasetenState,
  type BasetenUpsertParams,
  type BasetenUpsertResult,
} from '../../protocol/protocol';

/** Where the key is kept: VS Code's secret storage (the OS keychain), never settings or disk. */
const KEY = 'truss-config.baseten-api-key';
/** The user's answer about a key found in the environment or ~/.trussrc: 'yes' or 'no' (global state). */
const USE_DISCOVERED = 'truss-config.baseten-use-discovered';

/**
 * Sends a request whose parameters carry a secret with the client's message tracing paused, so that
 * `trussConfig.trace.server: verbose` never writes the key or a value to the output.
 */
async function untraced<T>(client: LanguageClient, method: string, params: unknown): Promise<T> {
  await client.setTrace(Trace.Off);
  try {
    return await client.sendRequest<T>(method, params);
  } finally {
    const setting = vscode.workspace.getConfiguration('trussConfig').get<string>('trace.server', 'off');
    await client.setTrace(Trace.fromString(setting));
  }
}

/**
 * What a sign-in came to, truthfully: the names fetched, or why not. A reason such as "offline" or a
 * timeout means Baseten did not answer, so it is never said to be Baseten's answer.
 */
export function signedIn(state: BasetenState | undefined): string {
  if (!state) return 'the key is kept; the language server is not running, so Baseten was not asked yet.';
  if (state.state === 'ready')
    return `signed in to Baseten: ${state.reason}${state.team ? ` (team ${state.team})` : ''}.`;
  if (state.state === 'failed') return `the key is kept, but the secret names could not be fetched: ${state.reason}.`;
  if (state.state === 'off') return 'the key is kept; trussConfig.baseten.checkSecrets is off.';
  return `the key is kept; Baseten: ${state.reason}.`;
}

/** The Baseten commands and the key's life in the extension. */
export class BasetenAuth {
  /** The last state the server reported. */
  state: BasetenState | undefined;
  private asked = false;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: () => LanguageClient | undefined,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  /** Tells the server which key to use (after a start, a sign-in or a sign-out). */
  async send(): Promise<BasetenState | undefined> {
    const c = this.client();
    if (!c?.isRunning()) return undefined;
    const key = await this.context.secrets.get(KEY);
    const params: BasetenAuthParams = {
      key,
      useDiscovered: this.context.globalState.get(USE_DISCOVERED) === 'yes',
    };
    const state = await untraced<BasetenState>(c, BASETEN_AUTH_REQUEST, params).catch(() => undefined);
    if (state) this.update(state);
    return state;
  }

  /** A state from the server: once, when it found a key and the user never said whether to use it, ask. */
  update(state: BasetenState): void {
    this.state = state;
    if (this.asked || state.state !== 'signed-out' || !state.discovered) return;
    if (this.context.globalState.get(USE_DISCOVERED) !== undefined) return;
    this.asked = true;
    void this.askDiscovered(state.discovered);
  }

  private async askDiscovered(source: string): Promise<void> {
    const use = 'Use it';
    const no = 'No';
    const choice = await vscode.window.showInformationMessage(
      `Truss: a Baseten API key was found in ${source}. Use it to compare your configs' secrets with the ` +
        'Baseten workspace (names only)?',
      use,
      no,
    );
    if (!choice) return; // dismissed: asked again next session
    await this.context.globalState.update(USE_DISCOVERED, choice === use ? 'yes' : 'no');
    if (choice === use) await this.send();
  }

  async signIn(): Promise<void> {
    const key = await vscode.window.showInputBox({
      title: 'Truss: Sign in to Baseten',
      prompt: 'Baseten API key (kept in VS Code secret storage; only secret names are read)',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (/\s/.test(v.trim()) || !v.trim() ? 'An API key is one word' : undefined),
    });
    if (!key) return;
    await this.context.secrets.store(KEY, key.trim());
    const config = vscode.workspace.getConfiguration('trussConfig');
    if (config.get('baseten.checkSecrets') !== 'on') {
      await config.update('baseten.checkSecrets', 'on', vscode.ConfigurationTarget.Global);
    }
    const state = await this.send();
    const said = signedIn(state);
    this.output.info(said);
    if (state?.state === 'ready') void vscode.window.showInformationMessage(`Truss: ${said}`);
    else void vscode.window.showWarningMessage(`Truss: ${said}`);
  }

  async signOut(): Promise<void> {
    await this.context.secrets.delete(KEY);
    await this.context.globalState.update(USE_DISCOVERED, 'no');
    await this.send();
    this.output.info('Signed out of Baseten');
    void vscode.window.showInformationMessage('Truss: signed out of Baseten.');
  }

  async refresh(): Promise<void> {
    const c = this.client();
    if (!c?.isRunning()) return;
    const state = await c.sendRequest<BasetenState>(BASETEN_REFRESH_REQUEST).catch(() => undefined);
    if (state) this.update(state);
    if (state?.state === 'ready') void vscode.window.showInformationMessage(`Truss: Baseten secrets: ${state.reason}.`);
    else {
      const why = state?.reason ?? 'the language server did not answer';
      void vscode.window.showWarningMessage(`Truss: the Baseten secret names were not fetched: ${why}.`);
    }
  }

  /** Where a secret would be saved, for the confirmation: "the Baseten team `x`" or "your Baseten workspace". */
  where(): string {
    return this.state?.team ? `the Baseten team "${this.state.team}"` : 'your Baseten workspace';
  }

  /** Whether a save can be tried: a key is in use and Baseten answered with the list. */
  canSave(): boolean {
    return !!this.state?.using && this.state.state === 'ready';
  }

  /**
   * Creates or replaces the secret after a modal confirmation, then declares it under `secrets` in the
   * document when missing. True when saved.
   */
  async save(name: string, value: string, uri?: vscode.Uri): Promise<boolean> {
    const c = this.client();
    if (!c?.isRunning()) return false;
    const save = 'Save';
    const ok = await vscode.window.showWarningMessage(
      `Save the secret ${name} to ${this.where()}?`,
      { modal: true, detail: 'It creates the secret, or replaces its value if it exists.' },
      save,
    );
    if (ok !== save) return false;
    const params: BasetenUpsertParams = { name, value, uri: uri?.toString() };
    const r = await untraced<BasetenUpsertResult>(c, BASETEN_UPSERT_REQUEST, params).catch((): BasetenUpsertResult => ({
      ok: false,
      reason: 'the server did not answer',
    }));
    if (!r.ok) {
      void vscode.window.showErrorMessage(`Truss: ${name} was not saved to Baseten: ${r.reason ?? 'failed'}.`);
      return false;
    }
    if (r.edit) {
      const edit = await c.protocol2CodeConverter.asWorkspaceEdit(r.edit as WorkspaceEdit);
      await vscode.workspace.applyEdit(edit);
    }
    void vscode.window.showInformationMessage(`Truss: saved ${name} to ${this.where()}.`);
    return true;
  }
}
