/**
 * Where a Baseten API key is found outside the editor, as truss finds it. A key's *source* may be
 * shown ("BASETEN_API_KEY", "~/.trussrc [baseten]"); the key itself never is.
 *
 * Sources (confirmed):
 * - truss `truss/remote/baseten/auth.py`: `AuthService` falls back to `BASETEN_API_KEY`.
 * - truss `truss/remote/remote_factory.py`: `USER_TRUSSRC_PATH` (default `~/.trussrc`), read with
 *   Python's `ConfigParser`: one section per remote with `remote_provider`, `remote_url`, `api_key`.
 * - docs.baseten.co/reference/cli/truss/auth: newer truss keeps the key in the OS keyring
 *   (service `baseten-truss`) and the trussrc section then has no `api_key`; plaintext entries still work.
 * Not confirmed in truss's source we could read: the `BASETEN_TRUSS_AUTH_API_KEY` +
 * `BASETEN_TRUSS_AUTH_REMOTE_URL` pair (described by Baseten's own CLI, basetenlabs/baseten-cli, as "the
 * variables truss reads to define a remote outright") and a `team` key in a trussrc section.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface FoundKey {
  key: string;
  /** Where it was found, for the user: never the key. */
  source: string;
  /** truss's `remote_url` (the app URL, `https://app.baseten.co`), when the source names one. */
  remoteUrl?: string;
  /** The team the trussrc remote pushes to. */
  team?: string;
}

export interface Discovery {
  found?: FoundKey;
  /** A trussrc remote whose key is in the OS keyring, which we do not read: sign in instead. */
  keyring?: string;
}

/** The sections of an INI file as Python's ConfigParser reads them (keys lower-cased, `=` or `:`). */
export function parseIni(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  let last: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    if (/^\s*([#;].*)?$/.test(raw)) continue;
    const section = /^\[([^\]]+)\]\s*$/.exec(raw);
    if (section) {
      current = sections.get(section[1]) ?? new Map<string, string>();
      sections.set(section[1], current);
      last = undefined;
      continue;
    }
    if (/^\s/.test(raw) && current && last !== undefined) {
      current.set(last, `${current.get(last)}\n${raw.trim()}`); // a continuation line
      continue;
    }
    const pair = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(raw);
    if (pair && current) {
      last = pair[1].trim().toLowerCase();
      current.set(last, pair[2].trim());
    }
  }
  const defaults = sections.get('DEFAULT');
  sections.delete('DEFAULT');
  if (defaults) for (const s of sections.values()) for (const [k, v] of defaults) if (!s.has(k)) s.set(k, v);
  return sections;
}

/** The trussrc's path: `USER_TRUSSRC_PATH`, or `~/.trussrc`. */
export function trussrcPath(env: NodeJS.ProcessEnv): string {
  const p = env.USER_TRUSSRC_PATH;
  if (p) return p.startsWith('~/') ? join(homedir(), p.slice(2)) : p;
  return join(homedir(), '.trussrc');
}

/** The Baseten remote of a trussrc: `[baseten]` (truss's default remote), else the first Baseten one. */
export function trussrcKey(text: string, path = '~/.trussrc'): Discovery {
  const sections = [...parseIni(text)].filter(([, s]) => (s.get('remote_provider') ?? 'baseten') === 'baseten');
  sections.sort(([a], [b]) => Number(b === 'baseten') - Number(a === 'baseten'));
  for (const [name, s] of sections) {
    const key = s.get('api_key');
    const source = `${path} [${name}]`;
    if (key) return { found: { key, source, remoteUrl: s.get('remote_url'), team: s.get('team') || undefined } };
    if (s.get('remote_url')) return { keyring: source };
  }
  return {};
}

/** The first key found: `BASETEN_API_KEY`, truss's env pair, then the trussrc. */
export function discoverKey(env: NodeJS.ProcessEnv = process.env): Discovery {
  if (env.BASETEN_API_KEY) return { found: { key: env.BASETEN_API_KEY, source: 'BASETEN_API_KEY' } };
  if (env.BASETEN_TRUSS_AUTH_API_KEY && env.BASETEN_TRUSS_AUTH_REMOTE_URL) {
    return {
      found: {
        key: env.BASETEN_TRUSS_AUTH_API_KEY,
        source: 'BASETEN_TRUSS_AUTH_API_KEY',
        remoteUrl: env.BASETEN_TRUSS_AUTH_REMOTE_URL,
      },
    };
  }
  const path = trussrcPath(env);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return {};
  }
  return trussrcKey(text, env.USER_TRUSSRC_PATH ? path : '~/.trussrc');
}
