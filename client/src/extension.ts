import * as vscode from 'vscode';
import {
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';
import {
  CREATE_CREDENTIAL_COMMAND,
  REGISTRY_INFO_REQUEST,
  type RegistryInfo,
  type RegistryInfoParams,
} from '../../protocol/protocol';
import { type CredentialTarget, createRegistryCredential } from './credential';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // Every YAML file: the server checks those matching trussConfig.files (config.yaml, config.yml by default).
    documentSelector: [{ scheme: 'file', language: 'yaml' }],
    synchronize: { configurationSection: 'trussConfig' },
  };
  client = new LanguageClient('trussConfig', 'Truss Config', serverOptions, clientOptions);

  context.subscriptions.push(
    vscode.commands.registerCommand(CREATE_CREDENTIAL_COMMAND, async (target?: CredentialTarget) => {
      await createRegistryCredential(target ?? (await targetOfActiveEditor()));
    }),
  );
  await client.start();
}

/** The pull-credential secret the active config's image needs, asked of the server. */
async function targetOfActiveEditor(): Promise<CredentialTarget> {
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc || !client?.isRunning()) return {};
  const params: RegistryInfoParams = { uri: doc.uri.toString() };
  const info = await client.sendRequest<RegistryInfo | null>(REGISTRY_INFO_REQUEST, params);
  return info ?? {};
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
