import type { Connection } from 'vscode-languageserver';
import {
  BASETEN_AUTH_REQUEST,
  BASETEN_REFRESH_REQUEST,
  BASETEN_STATE_NOTIFICATION,
  BASETEN_UPSERT_REQUEST,
  type BasetenAuthParams,
  type BasetenState,
  type BasetenUpsertParams,
  type BasetenUpsertResult,
} from '../../../protocol/protocol';
import { type Credential, apiBase, listSecrets, upsertSecret } from '../baseten/api';
import { type Discovery, discoverKey } from '../baseten/keys';
import { BasetenSecrets } from '../core/truss/basetenSecrets';

/** How long a fetched list is used before it is fetched again (in the background). */
export const FRESH_MS = 5 * 60_000;

/**
 * The names of the secrets saved in Baseten (the account's, or a team's) for this server: fetched in the
 * background with the key the client handed over (or the one found in the environment or ~/.trussrc,
 * when the user allowed it), kept 5 minutes, fetched again on request and after a save. While nothing
 * is known (off, signed out, offline, refused, malformed) `current()` is undefined and the analyses say
 * nothing about Baseten's secrets.
 */
export class BasetenList {
  private list: BasetenSecrets | undefined;
  private enabled = false;
  private stored: string | undefined;
  private useDiscovered = false;
  private readonly discovery: Discovery;
  private fetchedAt = 0;
  private running: Promise<void> | undefined;
  private again = false;
  private failure: string | undefined;
  private logged = '';

  constructor(
    private readonly connection: Connection,
    /** Called when the list the analyses use changed: analyse the open documents again. */
    private readonly changed: () => void,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.discovery = discoverKey(env);
  }

  /** The list for an analysis; a stale one is fetched again in the background and used meanwhile. */
  current(): BasetenSecrets | undefined {
    if (this.enabled && this.credential() && !this.running && Date.now() - this.fetchedAt > FRESH_MS) {
      void this.refresh();
    }
    return this.list;
  }

  /** `trussConfig.baseten.checkSecrets`. */
  setEnabled(on: boolean): void {
    if (on === this.enabled) return;
    this.enabled = on;
    if (on) void this.refresh();
    else this.forget();
  }

  /** Fetches now (one fetch at a time: a request during one runs once more after it). */
  refresh(): Promise<void> {
    if (!this.enabled || !this.credential()) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.fetch().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.refresh();
      }
    });
    this.notify();
    return this.running;
  }

  state(): BasetenState {
    const base = {
      discovered: this.discovery.found?.source,
      keyring: this.discovery.keyring,
      using: this.stored ? ('stored' as const) : this.credential() ? ('discovered' as const) : undefined,
    };
    if (!this.enabled) return { state: 'off', reason: 'trussConfig.baseten.checkSecrets is off', ...base };
    if (!this.credential()) return { state: 'signed-out', reason: 'signed out', ...base };
    if (this.failure) return { state: 'failed', reason: this.failure, ...base };
    if (!this.list) return { state: 'loading', reason: 'fetching the secret names', ...base };
    const n = this.list.names.length;
    return { state: 'ready', reason: `${n} secret${n === 1 ? '' : 's'}`, count: n, team: this.list.team, ...base };
  }

  listen(declare: (uri: string, name: string) => Promise<unknown>): void {
    this.connection.onRequest(BASETEN_AUTH_REQUEST, async (p: BasetenAuthParams) => {
      this.stored = p.key || undefined;
      this.useDiscovered = !!p.useDiscovered;
      this.forget();
      if (this.enabled && this.credential()) await this.refresh();
      return this.state();
    });
    this.connection.onRequest(BASETEN_REFRESH_REQUEST, async () => {
      if (this.enabled && this.credential()) await this.refresh();
      return this.state();
    });
    this.connection.onRequest(BASETEN_UPSERT_REQUEST, async (p: BasetenUpsertParams): Promise<BasetenUpsertResult> => {
      const cred = this.credential();
      if (!cred) return { ok: false, reason: 'signed out' };
      const base = apiBase(this.env, cred.remoteUrl);
      if (!base.ok) return base;
      const r = await upsertSecret(base.value, cred, p.name, p.value, cred.team);
      if (!r.ok) {
        this.log(`Baseten: ${p.name} was not saved: ${r.reason}`);
        return r;
      }
      this.log(`Baseten: saved the secret ${p.name}${cred.team ? ` to the team ${cred.team}` : ''}`);
      if (this.enabled) void this.refresh();
      return { ok: true, edit: p.uri ? ((await declare(p.uri, p.name)) ?? undefined) : undefined };
    });
  }

  private credential(): (Credential & { remoteUrl?: string; team?: string }) | undefined {
    const found = this.discovery.found;
    if (this.stored) return { key: this.stored, team: found?.team };
    return this.useDiscovered && found ? found : undefined;
  }

  private forget(): void {
    this.failure = undefined;
    this.fetchedAt = 0;
    if (this.list) {
      this.list = undefined;
      this.changed();
    }
    this.notify();
  }

  private async fetch(): Promise<void> {
    const cred = this.credential();
    if (!this.enabled || !cred) return;
    const base = apiBase(this.env, cred.remoteUrl);
    const r = base.ok ? await listSecrets(base.value, cred, cred.team) : base;
    // The key or the setting changed meanwhile: this answer is for nothing.
    if (cred.key !== this.credential()?.key || !this.enabled) return;
    this.fetchedAt = Date.now();
    const old = this.list;
    if (r.ok) {
      this.failure = undefined;
      const same =
        !!old &&
        old.team === r.value.team &&
        old.names.length === r.value.names.length &&
        old.names.every((n, i) => n === r.value.names[i]);
      if (!same) this.list = new BasetenSecrets(r.value.names, r.value.team);
      this.log(`Baseten: ${this.state().reason}${r.value.team ? ` in the team ${r.value.team}` : ''}`);
    } else {
      this.failure = r.reason;
      this.list = undefined;
      this.log(`Baseten: secret names not checked: ${r.reason}`);
    }
    if (this.list !== old) this.changed();
    this.notify();
  }

  /** One line in the output channel, when it says something new. */
  private log(line: string): void {
    if (line === this.logged) return;
    this.logged = line;
    this.connection.console.info(line);
  }

  private notify(): void {
    this.connection.sendNotification(BASETEN_STATE_NOTIFICATION, this.state()).catch(() => undefined);
  }
}
