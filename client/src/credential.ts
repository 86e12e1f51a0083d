import * as vscode from 'vscode';
import type { RegistryInfo, RegistryInfoParams } from '../../protocol/protocol';
import { registryCredential } from './registryCredential';

export type CredentialTarget = Partial<RegistryInfo>;

/** The server's name for a registry's pull credential (from a host as typed, or a secret's name). */
export type NameCredential = (named: Omit<RegistryInfoParams, 'uri'>) => Promise<RegistryInfo | undefined>;

/**
 * Asks for a registry user and password and makes base64(`user:password`), the value of a
 * `DOCKER_REGISTRY_<registry>` Baseten secret: copied to the clipboard, or saved to Baseten when it can be.
 * The secret is named by the server, as the `registry-secret-mismatch` rule names it. Nothing is written
 * to disk, the document or a log.
 */
export async function createRegistryCredential(
  target: CredentialTarget,
  name: NameCredential,
  /** Saves the value as a Baseten secret (after its own confirmation); absent when Baseten cannot be reached. */
  save?: (name: string, value: string) => Promise<boolean>,
): Promise<void> {
  let info: RegistryInfo | undefined;
  if (target.secretName) {
    info = (await name({ secretName: target.secretName })) ?? { user: '', ...target, secretName: target.secretName };
  } else {
    const host = await vscode.window.showInputBox({
      title: 'Truss: Create registry credential',
      prompt: 'Registry host, as in the image (Docker Hub: docker.io)',
      value: 'docker.io',
      ignoreFocusOut: true,
    });
    if (!host?.trim()) return;
    info = await name({ host: host.trim() });
    if (!info) {
      void vscode.window.showErrorMessage(
        'Truss: the secret name could not be found: the Truss language server is not running.',
      );
      return;
    }
  }
  const secretName = info.secretName;
  if (info.twice) {
    const anyway = 'Create Anyway';
    const choice = await vscode.window.showWarningMessage(
      `This config already has docker_auth for this registry.`,
      {
        modal: true,
        detail:
          `With ${secretName} as well, the checker reports registry-credentials-twice: ` +
          "Baseten's docs use one or the other.",
      },
      anyway,
    );
    if (choice !== anyway) return;
  }
  const expires = info.expiresHours
    ? `it expires after ${info.expiresHours} hours, and pulls fail after that`
    : undefined;
  const user = await vscode.window.showInputBox({
    title: `Credential for ${secretName}`,
    prompt: 'User name',
    value: info.user || target.user || '',
    ignoreFocusOut: true,
    validateInput: (v) => (v.includes(':') ? 'A user name cannot contain ":"' : undefined),
  });
  if (!user) return;
  const password = await vscode.window.showInputBox({
    title: `Credential for ${secretName}`,
    prompt: expires ? `Token (not saved anywhere): ${expires}` : 'Password or token (not saved anywhere)',
    password: true,
    ignoreFocusOut: true,
  });
  if (!password) return;
  const note = expires ? ` Note: ${expires}; create it again then, or use docker_auth with AWS_OIDC.` : '';
  if (save) {
    const copy = 'Copy the value to the clipboard';
    const toBaseten = `Save to Baseten as ${secretName}`;
    const choice = await vscode.window.showQuickPick([toBaseten, copy], {
      title: `Credential for ${secretName}`,
      ignoreFocusOut: true,
    });
    if (!choice) return;
    if (choice === toBaseten) {
      if ((await save(secretName, registryCredential(user, password))) && note) {
        void vscode.window.showWarningMessage(`Truss: ${secretName} is saved.${note}`);
      }
      return;
    }
  }
  await vscode.env.clipboard.writeText(registryCredential(user, password));
  const copied =
    `Copied the value of ${secretName} to the clipboard. In Baseten, create a secret named ${secretName} ` +
    `with it (Settings → Secrets), and keep ${secretName}: null under secrets in config.yaml.`;
  if (note) void vscode.window.showWarningMessage(copied + note);
  else void vscode.window.showInformationMessage(copied);
}
