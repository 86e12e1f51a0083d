import * as vscode from 'vscode';
import {
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import {
  BASETEN_REFRESH_COMMAND,
  BASETEN_SIGN_IN_COMMAND,
  BASETEN_SIGN_OUT_COMMAND,
  BASETEN_STATE_NOTIFICATION,
  type BasetenState,
  CHECK_AS_TRUSS_COMMAND,
  CHECK_AS_TRUSS_NOTIFICATION,
  CHECK_WORKSPACE_COMMAND,
  CHECK_WORKSPACE_REQUEST,
  CREATE_CREDENTIAL_COMMAND,
  type CheckAsTrussParams,
  type CheckWorkspaceResult,
  REGISTRY_INFO_REQUEST,
  RESTART_COMMAND,
  SERVER_NODE_FLAGS,
  type RegistryInfo,
  type RegistryInfoParams,
  SHOW_OUTPUT_COMMAND,
  STOP_CHECK_AS_TRUSS_COMMAND,
} from '../../protocol/protocol';
import { BasetenAuth } from './baseten';
import { type CredentialTarget, createRegistryCredential } from './credential';
import { Interpreters } from './interpreters';
import { PYTHON_SELECTOR, SELECTOR, type StatusText, TrussStatus } from './status';
import { TraceChannel } from './trace';

/** Where the files the user asked to check as Truss configs are remembered (workspace state). */
const CHECK_AS_TRUSS_KEY = 'checkAsTruss';

let client: LanguageClient | undefined;

/** What the extension exports, for the editor tests: the status item's text, the trace lines written. */
export interface TrussConfigApi {
  status(): StatusText;
  traceLines(): number;
}

export async function activate(context: vscode.ExtensionContext): Promise<TrussConfigApi> {
  const module = context.asAbsolutePath('dist/server.js');
  // The server keeps V8's compiled code of itself in the extension's own storage (server/src/boot.ts).
  const args = [`--cache-dir=${vscode.Uri.joinPath(context.globalStorageUri, 'code-cache').fsPath}`];
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, args, options: { execArgv: SERVER_NODE_FLAGS } },
    debug: {
      module,
      transport: TransportKind.ipc,
      args,
      options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6009'] },
    },
  };
  // One output channel for every client this session creates (a restart may need a new one).
  const output = vscode.window.createOutputChannel('Truss Config', { log: true });
  // `trussConfig.trace.server` alone shows the LSP traffic in it, whatever the channel's log level.
  const trace = new TraceChannel(output);
  const clientOptions: LanguageClientOptions = {
    // YAML files on disk and untitled YAML documents: the server checks those matching trussConfig.files
    // (config.yaml, config.yml by default), untitled ones by their keys, and the ones the user asked for.
    // Python files on disk: the server answers only for those a Truss packages (its model code, by the
    // folders its config names), where it reads secrets; about any other Python file it says nothing.
    documentSelector: [...SELECTOR, PYTHON_SELECTOR],
    synchronize: { configurationSection: 'trussConfig' },
    // The server runs the workspace's Python (the opt-in truss run) only in a trusted workspace.
    initializationOptions: () => ({ trusted: vscode.workspace.isTrusted }),
    outputChannel: output,
    traceOutputChannel: trace,
  };
  const status = new TrussStatus(() => client);
  const baseten = new BasetenAuth(context, () => client, output);
  const interpreters = new Interpreters(() => client);
  context.subscriptions.push(output, trace, status, interpreters);
  // Trust granted: the server starts again, told so.
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void restart()));

  const forced = (): string[] => context.workspaceState.get<string[]>(CHECK_AS_TRUSS_KEY, []);
  const sendForced = async (): Promise<void> => {
    if (!client?.isRunning()) return; // sent again when it starts
    const params: CheckAsTrussParams = { uris: forced() };
    await client.sendNotification(CHECK_AS_TRUSS_NOTIFICATION, params).catch(() => undefined);
  };

  const create = (): LanguageClient => {
    const c = new LanguageClient('trussConfig', 'Truss Config', serverOptions, clientOptions);
    c.onNotification(BASETEN_STATE_NOTIFICATION, (s: BasetenState) => {
      if (c !== client) return;
      baseten.update(s);
      status.basetenState(s);
    });
    c.onDidChangeState((e) => {
      if (c !== client) return;
      status.serverState(
        e.newState === State.Running ? 'running' : e.newState === State.Starting ? 'starting' : 'stopped',
      );
    });
    return c;
  };
  const start = async (): Promise<void> => {
    await client?.start();
    await sendForced();
    void interpreters.send(); // the Python extension may take a while to activate
    const state = await baseten.send();
    if (state) status.basetenState(state);
  };

  /** Restarts the server; a client that cannot restart (its first start failed) is replaced by a new one. */
  const restart = async (): Promise<void> => {
    const old = client;
    try {
      if (old?.state === State.Starting) await old.start().catch(() => undefined);
      await old?.stop();
    } catch {
      // not running: start it again below
    }
    try {
      await start();
      return;
    } catch (e) {
      output.appendLine(`Restart failed (${e instanceof Error ? e.message : String(e)}); starting a new client.`);
    }
    client = create();
    await old?.dispose().catch(() => undefined);
    await start();
  };

  const checkWorkspace = async (): Promise<CheckWorkspaceResult | undefined> => {
    const c = client;
    if (!c?.isRunning()) {
      const restartNow = 'Restart';
      const choice = await vscode.window.showWarningMessage('The Truss language server is not running.', restartNow);
      if (choice === restartNow) await vscode.commands.executeCommand(RESTART_COMMAND);
      return undefined;
    }
    let result: CheckWorkspaceResult;
    try {
      result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Truss: checking the configs of the workspace…' },
        () => c.sendRequest<CheckWorkspaceResult>(CHECK_WORKSPACE_REQUEST),
      );
    } catch (e) {
      void vscode.window.showErrorMessage(`Truss: the check failed: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
    const scope = vscode.workspace.getConfiguration('trussConfig').get<string>('scope');
    const { configs, withProblems, open = 0 } = result;
    const problems = `${withProblems} ${withProblems === 1 ? 'has' : 'have'} problems.`;
    void vscode.window.showInformationMessage(
      scope === 'openFiles'
        ? `Truss: trussConfig.scope is "openFiles": checked the ${open} open Truss config${open === 1 ? '' : 's'}; ` +
            problems
        : `Truss: checked ${configs} Truss config${configs === 1 ? '' : 's'} (${open} open); ${problems}`,
    );
    return result;
  };

  const checkAsTruss = async (arg?: vscode.Uri | string): Promise<void> => {
    const uri = typeof arg === 'string' ? arg : (arg ?? vscode.window.activeTextEditor?.document.uri)?.toString();
    if (!uri) {
      void vscode.window.showInformationMessage('Truss: open a YAML file to check it as a Truss config.');
      return;
    }
    const uris = forced();
    if (!uris.includes(uri)) await context.workspaceState.update(CHECK_AS_TRUSS_KEY, [...uris, uri]);
    await sendForced();
    status.schedule(100);
  };

  const stopCheckingAsTruss = async (arg?: vscode.Uri | string): Promise<void> => {
    const uri = typeof arg === 'string' ? arg : (arg ?? vscode.window.activeTextEditor?.document.uri)?.toString();
    const uris = forced();
    if (!uri || !uris.includes(uri)) {
      void vscode.window.showInformationMessage('Truss: this file is checked by its name and keys, as any other.');
      return;
    }
    await context.workspaceState.update(
      CHECK_AS_TRUSS_KEY,
      uris.filter((u) => u !== uri),
    );
    await sendForced();
    status.schedule(100);
  };

  client = create();
  context.subscriptions.push(
    vscode.commands.registerCommand(CREATE_CREDENTIAL_COMMAND, async (target?: CredentialTarget) => {
      const uri = vscode.window.activeTextEditor?.document.uri;
      const save = baseten.canSave() ? (name: string, value: string) => baseten.save(name, value, uri) : undefined;
      const name = (named: RegistryInfoParams) => registryInfo({ ...named, uri: uri?.toString() });
      await createRegistryCredential(target ?? (await registryInfo({ uri: uri?.toString() })) ?? {}, name, save);
    }),
    vscode.commands.registerCommand(BASETEN_SIGN_IN_COMMAND, () => baseten.signIn()),
    vscode.commands.registerCommand(BASETEN_SIGN_OUT_COMMAND, () => baseten.signOut()),
    vscode.commands.registerCommand(BASETEN_REFRESH_COMMAND, () => baseten.refresh()),
    vscode.commands.registerCommand(RESTART_COMMAND, () =>
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Restarting the Truss language server' },
        async (): Promise<string> => {
          try {
            await restart();
          } catch (e) {
            const message = `Truss: the language server did not restart: ${e instanceof Error ? e.message : String(e)}`;
            output.error(message);
            void vscode.window.showErrorMessage(message);
            return message;
          }
          const { version } = context.extension.packageJSON as { version?: string };
          const message = `Truss: restarted the language server (truss-config ${version ?? 'unknown'}).`;
          output.info(message);
          void vscode.window.showInformationMessage(message);
          return message;
        },
      ),
    ),
    vscode.commands.registerCommand(SHOW_OUTPUT_COMMAND, () => output.show(true)),
    vscode.commands.registerCommand(CHECK_WORKSPACE_COMMAND, checkWorkspace),
    vscode.commands.registerCommand(CHECK_AS_TRUSS_COMMAND, checkAsTruss),
    vscode.commands.registerCommand(STOP_CHECK_AS_TRUSS_COMMAND, stopCheckingAsTruss),
  );
  // A server that does not start leaves the commands working: Show Output says why, Restart tries again.
  await start().catch((e) => output.appendLine(`The server did not start: ${e instanceof Error ? e.message : e}`));
  return { status: () => status.current(), traceLines: () => trace.lines };
}

/** The pull-credential secret of a document's image, or of a registry the user named, asked of the server. */
async function registryInfo(params: RegistryInfoParams): Promise<RegistryInfo | undefined> {
  if (!client?.isRunning() || (!params.uri && !params.host && !params.secretName)) return undefined;
  const info = await client.sendRequest<RegistryInfo | null>(REGISTRY_INFO_REQUEST, params).catch(() => null);
  return info ?? undefined;
}

export async function deactivate(): Promise<void> {
  await client?.stop().catch(() => undefined);
  client = undefined;
}
