/**
 * The interpreter VS Code's Python extension chose for each workspace folder, through its public
 * API (`ms-python.python`'s `environments`), sent to the server, which reads the truss installed
 * there. No dependency on the extension: absent, or with another API, nothing is sent.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { INTERPRETERS_NOTIFICATION, type InterpretersParams } from '../../protocol/protocol';

const PYTHON_EXTENSION = 'ms-python.python';

/** The part of the Python extension's API used here. */
interface PythonEnvironments {
  getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } | undefined;
  onDidChangeActiveEnvironmentPath(listener: () => void): vscode.Disposable;
}

function environmentsOf(exports: unknown): PythonEnvironments | undefined {
  const e = (exports as { environments?: Partial<PythonEnvironments> } | undefined)?.environments;
  return typeof e?.getActiveEnvironmentPath === 'function' && typeof e.onDidChangeActiveEnvironmentPath === 'function'
    ? (e as PythonEnvironments)
    : undefined;
}

export class Interpreters implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private environments: PythonEnvironments | undefined;

  constructor(private readonly client: () => LanguageClient | undefined) {
    this.disposables.push(vscode.workspace.onDidChangeWorkspaceFolders(() => void this.send()));
  }

  /** Sends each folder's interpreter (after the server starts, and when a choice changes). */
  async send(): Promise<void> {
    const environments = await this.api();
    const client = this.client();
    if (!environments || !client?.isRunning()) return;
    const params: InterpretersParams = { folders: [] };
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      try {
        const python = environments.getActiveEnvironmentPath(folder.uri)?.path;
        if (typeof python === 'string' && python) params.folders.push({ folder: folder.uri.toString(), python });
      } catch {
        // the extension could not say: that folder's truss is found on disk
      }
    }
    await client.sendNotification(INTERPRETERS_NOTIFICATION, params).catch(() => undefined);
  }

  private async api(): Promise<PythonEnvironments | undefined> {
    if (this.environments) return this.environments;
    const extension = vscode.extensions.getExtension(PYTHON_EXTENSION);
    if (!extension) return undefined;
    try {
      this.environments = environmentsOf(extension.isActive ? extension.exports : await extension.activate());
    } catch {
      return undefined;
    }
    if (this.environments) {
      this.disposables.push(this.environments.onDidChangeActiveEnvironmentPath(() => void this.send()));
    }
    return this.environments;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
