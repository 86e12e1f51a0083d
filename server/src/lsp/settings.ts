import type { Connection } from 'vscode-languageserver';
import { DEFAULT_SETTINGS, type Settings, settingsFrom } from '../engine/settings';

/** Reads `trussConfig.*` per document through workspace/configuration, cached until settings change. */
export class SettingsStore {
  private cache = new Map<string, Promise<Settings>>();
  supported = false;

  constructor(private connection: Connection) {}

  get(uri: string): Promise<Settings> {
    if (!this.supported) return Promise.resolve(DEFAULT_SETTINGS);
    let s = this.cache.get(uri);
    if (!s) {
      s = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'trussConfig' })
        .then(settingsFrom, () => DEFAULT_SETTINGS);
      this.cache.set(uri, s);
    }
    return s;
  }

  forget(uri?: string): void {
    if (uri) this.cache.delete(uri);
    else this.cache.clear();
  }
}
