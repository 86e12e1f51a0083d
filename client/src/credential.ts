import * as vscode from 'vscode';
import { REGISTRY_SECRET_PREFIX, type RegistryInfo } from '../../protocol/protocol';
import { registryCredential } from './registryCredential';

export type CredentialTarget = Partial<RegistryInfo>;

/**
 * Asks for a registry user and password and makes base64(`user:password`), the value of a
 * `DOCKER_REGISTRY_<registry>` Baseten secret: copied to the clipboard, or saved to Baseten when signed
 * in. Nothing is written to disk, the document or a log.
 */
export async function createRegistryCredential(
  target: CredentialTarget,
  /** Saves the value as a Baseten secret (after its own confirmation); absent when not signed in. */
  save?: (name: string, value: string) => Promise<boolean>,
): Promise<void> {
  let secretName = target.secretName;
  if (!secretName) {
    const host = await vscode.window.showInputBox({
      title: 'Truss: Create registry credential',
      prompt: 'Registry host, as in DOCKER_REGISTRY_<host> (Docker Hub: https://index.docker.io/v1/)',
      value: 'https://index.docker.io/v1/',
      ignoreFocusOut: true,
    });
    if (!host) return;
    secretName = REGISTRY_SECRET_PREFIX + host.trim();
  }
  const user = await vscode.window.showInputBox({
    title: `Credential for ${secretName}`,
    prompt: 'User name',
    value: target.user ?? '',
    ignoreFocusOut: true,
    validateInput: (v) => (v.includes(':') ? 'A user name cannot contain ":"' : undefined),
  });
  if (!user) return;
  const password = await vscode.window.showInputBox({
    title: `Credential for ${secretName}`,
    prompt: 'Password or token (not saved anywhere)',
    password: true,
    ignoreFocusOut: true,
  });
  if (!password) return;
  if (save) {
    const copy = 'Copy the value to the clipboard';
    const toBaseten = `Save to Baseten as ${secretName}`;
    const choice = await vscode.window.showQuickPick([toBaseten, copy], {
      title: `Credential for ${secretName}`,
      ignoreFocusOut: true,
    });
    if (!choice) return;
    if (choice === toBaseten) {
      await save(secretName, registryCredential(user, password));
      return;
    }
  }
  await vscode.env.clipboard.writeText(registryCredential(user, password));
  void vscode.window.showInformationMessage(
    `Copied the value of ${secretName} to the clipboard. In Baseten, create a secret named ${secretName} ` +
      `with it (Settings → Secrets), and keep ${secretName}: null under secrets in config.yaml.`,
  );
}
