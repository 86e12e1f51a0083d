/**
 * Baseten's management API, the few calls we make: the secret names of a workspace or team (never
 * values), its teams, and creating or replacing a secret. Every failure is a short reason ("offline",
 * "401 unauthorized", "timeout after 3 s") that never carries the key or a response body.
 *
 * Sources (confirmed):
 * - docs.baseten.co/api-reference/gets-all-secrets: `GET https://api.baseten.co/v1/secrets` answers
 *   `{"secrets": [{"created_at", "name", "team_name"}]}`.
 * - docs.baseten.co/api-reference/upserts-a-secret: `POST /v1/secrets` with `{"name", "value"}` creates or
 *   updates a secret by name, "scoped to the caller's primary team".
 * - docs.baseten.co/reference/management-api/teams/*: `GET /v1/teams` (the teams the key may use; a team
 *   is `{"id", "name", "default", "created_at"}`), `GET` and `POST /v1/teams/{team_id}/secrets`.
 * - The same pages: "Send Authorization: Bearer <api_key>. The legacy Authorization: Api-Key <api_key>
 *   scheme is also accepted." truss sends `Api-Key` (`truss/remote/baseten/auth.py`, `ApiKey.header`) and
 *   calls `v1/secrets` itself (`truss/remote/baseten/api.py`: `upsert_secret`, `get_all_secrets`).
 * - truss `truss/remote/baseten/api.py` `API_URL_MAPPING`: remote URL `https://app.baseten.co` → REST
 *   base `https://api.baseten.co`, and any other remote → the production API.
 * Not confirmed: the wrapper of `GET /v1/teams`: `{"teams": [...]}` and a bare list are both read.
 */

export const TIMEOUT_MS = 3000;
/** The largest answer read: a list of 10,000 secrets is about 1 MB. */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024;
export const DEFAULT_API = 'https://api.baseten.co';

const API_URL_MAPPING: Record<string, string> = {
  'https://app.baseten.co': 'https://api.baseten.co',
  'https://app.staging.baseten.co': 'https://api.staging.baseten.co',
};

export type Result<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface Credential {
  key: string;
  /** `Api-Key` (truss's, the default) or `Bearer`: Baseten accepts both. */
  scheme?: 'Api-Key' | 'Bearer';
}

export interface Team {
  id: string;
  name: string;
  default: boolean;
}

export interface SecretNames {
  names: string[];
  /** The team they belong to, when the workspace has teams and one was asked for. */
  team?: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The REST base: `BASETEN_API_URL` when set (tests point it at a stand-in), else the one truss maps the
 * remote URL to. Plain http only to a loopback address; everything else is https with its certificate
 * checked (fetch's default).
 */
export function apiBase(env: NodeJS.ProcessEnv = process.env, remoteUrl?: string): Result<URL> {
  const raw = env.BASETEN_API_URL || API_URL_MAPPING[(remoteUrl ?? '').replace(/\/+$/, '')] || DEFAULT_API;
  let url: URL;
  try {
    url = new URL(raw.endsWith('/') ? raw : `${raw}/`);
  } catch {
    return { ok: false, reason: 'BASETEN_API_URL is not a URL' };
  }
  if (url.username || url.password) return { ok: false, reason: 'BASETEN_API_URL must not hold credentials' };
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    return { ok: true, value: url };
  }
  return { ok: false, reason: 'BASETEN_API_URL must be https (plain http only to a loopback address)' };
}

function statusReason(status: number): string {
  if (status === 401) return '401 unauthorized';
  if (status === 403) return '403 forbidden';
  if (status === 404) return '404 not found';
  if (status === 429) return '429 too many requests';
  if (status >= 500) return `server error ${status}`;
  if (status >= 300 && status < 400) return `unexpected redirect ${status}`;
  return `unexpected answer ${status}`;
}

async function readLimited(response: Response): Promise<Result<string>> {
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > MAX_ANSWER_BYTES) return { ok: false, reason: 'answer too large' };
  if (!response.body) return { ok: true, value: '' };
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      return { ok: false, reason: 'answer too large' };
    }
    chunks.push(value);
  }
  return { ok: true, value: Buffer.concat(chunks).toString('utf8') };
}

/** One call: the answer's JSON, or why there is none. Redirects are not followed: the key goes to `base` only. */
async function call(base: URL, cred: Credential, method: 'GET' | 'POST', path: string, body?: unknown) {
  const headers: Record<string, string> = {
    Authorization: `${cred.scheme ?? 'Api-Key'} ${cred.key}`,
    Accept: 'application/json',
  };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const signal = AbortSignal.timeout(TIMEOUT_MS);
  let text: Result<string>;
  try {
    const response = await fetch(new URL(path, base), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
      signal,
    });
    if (response.status < 200 || response.status > 299) {
      await response.body?.cancel().catch(() => undefined);
      return { ok: false, reason: statusReason(response.status) } as const;
    }
    text = await readLimited(response);
  } catch {
    return { ok: false, reason: signal.aborted ? `timeout after ${TIMEOUT_MS / 1000} s` : 'offline' } as const;
  }
  if (!text.ok) return text;
  try {
    return { ok: true, value: JSON.parse(text.value) as unknown } as const;
  } catch {
    return { ok: false, reason: 'malformed answer' } as const;
  }
}

const MALFORMED = { ok: false, reason: 'malformed answer' } as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `{"secrets": [{"name": …}]}` → the names; anything else is malformed. */
function secretNames(answer: unknown): string[] | undefined {
  if (!isRecord(answer) || !Array.isArray(answer.secrets)) return undefined;
  const names: string[] = [];
  for (const s of answer.secrets) {
    if (!isRecord(s) || typeof s.name !== 'string' || !s.name) return undefined;
    names.push(s.name);
  }
  return names;
}

export async function listTeams(base: URL, cred: Credential): Promise<Result<Team[]>> {
  const r = await call(base, cred, 'GET', 'v1/teams');
  if (!r.ok) return r;
  // The wrapper is not documented: `{"teams": [...]}` as for secrets, or the bare list.
  const teams = isRecord(r.value) ? r.value.teams : r.value;
  if (!Array.isArray(teams)) return MALFORMED;
  const out: Team[] = [];
  for (const t of teams) {
    if (!isRecord(t) || typeof t.id !== 'string' || typeof t.name !== 'string') return MALFORMED;
    out.push({ id: t.id, name: t.name, default: t.default === true });
  }
  return { ok: true, value: out };
}

async function teamId(base: URL, cred: Credential, team: string): Promise<Result<string>> {
  const teams = await listTeams(base, cred);
  if (!teams.ok) return teams;
  const found = teams.value.find((t) => t.name === team || t.id === team);
  return found ? { ok: true, value: found.id } : { ok: false, reason: `no team named ${team}` };
}

/** The secret names of the workspace, or of `team` (by name or id) when the organization has teams. */
export async function listSecrets(base: URL, cred: Credential, team?: string): Promise<Result<SecretNames>> {
  let path = 'v1/secrets';
  if (team) {
    const id = await teamId(base, cred, team);
    if (!id.ok) return id;
    path = `v1/teams/${encodeURIComponent(id.value)}/secrets`;
  }
  const r = await call(base, cred, 'GET', path);
  if (!r.ok) return r;
  const names = secretNames(r.value);
  return names ? { ok: true, value: { names, team } } : MALFORMED;
}

/** Creates or replaces a secret (of `team`, else of the key's primary team). The value is sent once, here. */
export async function upsertSecret(
  base: URL,
  cred: Credential,
  name: string,
  value: string,
  team?: string,
): Promise<Result<{ name: string }>> {
  let path = 'v1/secrets';
  if (team) {
    const id = await teamId(base, cred, team);
    if (!id.ok) return id;
    path = `v1/teams/${encodeURIComponent(id.value)}/secrets`;
  }
  const r = await call(base, cred, 'POST', path, { name, value });
  if (!r.ok) return r;
  return isRecord(r.value) && typeof r.value.name === 'string'
    ? { ok: true, value: { name: r.value.name } }
    : MALFORMED;
}
