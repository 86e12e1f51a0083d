import { type Connection, MessageType, ShowMessageNotification } from 'vscode-languageserver';
import { DEFAULT_SETTINGS, type Settings, settingsFrom } from '../engine/settings';

/** Reads `trussConfig.*` per document through workspace/configuration, cached until settings change. */
export class SettingsStore {
  private cache = new Map<string, Promise<Settings>>();
  /** Settings problems already shown: each is shown once. */
  private shown = new Set<string>();
  supported = false;

  constructor(private connection: Connection) {}

  get(uri: string): Promise<Settings> {
    if (!this.supported) return Promise.resolve(DEFAULT_SETTINGS);
    let s = this.cache.get(uri);
    if (!s) {
      s = this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'trussConfig' }).then(
        (raw) => this.read(raw),
        () => DEFAULT_SETTINGS,
      );
      this.cache.set(uri, s);
    }
    return s;
  }

  private read(raw: unknown): Settings {
    const s = settingsFrom(raw);
    const fresh = s.problems.filter((p) => !this.shown.has(p));
    for (const p of fresh) this.shown.add(p);
    if (fresh.length) {
      const message = `Truss Config settings: ${fresh.join('; ')}. The default is used instead.`;
      // A notification: a request would wait for an answer the user may never give.
      this.connection
        .sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message })
        .catch(() => undefined);
    }
    return s;
  }

  /** Another section of the client's settings (`files.exclude`), for a scope; undefined when unanswered. */
  async section(name: string, scopeUri: string): Promise<unknown> {
    if (!this.supported) return undefined;
    try {
      return (await this.connection.workspace.getConfiguration({ scopeUri, section: name })) as unknown;
    } catch {
      return undefined;
    }
  }

  forget(uri?: string): void {
    if (uri) this.cache.delete(uri);
    else this.cache.clear();
  }
}
