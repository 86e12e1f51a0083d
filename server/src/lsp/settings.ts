import { Connection } from 'vscode-languageserver';
import { DetectMode } from '../core/detect';

export interface Settings {
  enable: boolean;
  detect: DetectMode;
}

export const DEFAULT_SETTINGS: Settings = { enable: true, detect: 'auto' };

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
        .then(fromRaw, () => DEFAULT_SETTINGS);
      this.cache.set(uri, s);
    }
    return s;
  }

  forget(uri?: string): void {
    if (uri) this.cache.delete(uri);
    else this.cache.clear();
  }
}

function fromRaw(raw: unknown): Settings {
  const r = (raw ?? {}) as { validate?: { enable?: unknown }; detect?: unknown };
  const detect = r.detect === 'always' || r.detect === 'never' ? r.detect : 'auto';
  return { enable: r.validate?.enable !== false, detect };
}
