/**
 * A stand-in for Baseten's management API on 127.0.0.1, as its docs describe it (the bodies of
 * fixture.json): `GET`/`POST /v1/secrets`, `GET /v1/teams`, `GET`/`POST /v1/teams/{team_id}/secrets`,
 * `Authorization: Api-Key <key>` or `Bearer <key>`. Names are stored as Baseten stores them: names that
 * differ only in non-alphanumeric characters are one secret. `mode` makes it fail as a real server can.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import fixture from './fixture.json';

export type Mode = 'ok' | 'unauthorized' | 'forbidden' | 'error' | 'slow' | 'malformed' | 'wrong-shape' | 'huge';

interface Stored {
  name: string;
  value: string;
  team: string;
}

export interface Seen {
  method: string;
  path: string;
  scheme: string;
  /** The request body as sent (values included: only the tests look at it). */
  body: string;
}

const identity = (n: string) => n.replace(/[^A-Za-z0-9]/g, '_');

export class BasetenStandIn {
  mode: Mode = 'ok';
  /** The key the stand-in accepts. */
  key: string;
  readonly seen: Seen[] = [];
  /** Teams of the organization: the first is the default, the one `/v1/secrets` uses. */
  teams = [{ id: 'team-default', name: 'Default', default: true }];
  /** Answer `GET /v1/teams` with the bare list instead of `{"teams": [...]}` (the wrapper is not documented). */
  bareTeams = false;
  private secrets: Stored[] = [];
  private readonly index = new Map<string, Stored>();
  private server: Server | undefined;
  url = '';

  constructor(key: string, names: string[] = []) {
    this.key = key;
    for (const n of names) this.put(n, 'x', this.teams[0].name);
  }

  /** Replaces the secrets of a team (the default one unless named). */
  setSecrets(names: string[], team = this.teams[0].name): void {
    this.secrets = this.secrets.filter((s) => s.team !== team);
    this.index.clear();
    for (const s of this.secrets) this.index.set(`${s.team}/${identity(s.name)}`, s);
    for (const n of names) this.put(n, 'x', team);
  }

  names(team = this.teams[0].name): string[] {
    return this.secrets.filter((s) => s.team === team).map((s) => s.name);
  }

  value(name: string): string | undefined {
    return this.secrets.find((s) => identity(s.name) === identity(name))?.value;
  }

  private put(name: string, value: string, team: string): Stored {
    const old = this.index.get(`${team}/${identity(name)}`);
    if (old) {
      old.value = value;
      return old;
    }
    const s = { name, value, team };
    this.secrets.push(s);
    this.index.set(`${team}/${identity(name)}`, s);
    return s;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const auth = req.headers.authorization ?? '';
    const [scheme, key] = auth.split(' ', 2);
    const path = (req.url ?? '').split('?')[0];
    this.seen.push({ method: req.method ?? '', path, scheme, body });
    const send = (status: number, data: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(typeof data === 'string' ? data : JSON.stringify(data));
    };
    if (this.mode === 'slow') {
      setTimeout(() => send(200, { secrets: [] }), 5000).unref();
      return;
    }
    if (this.mode === 'error') return send(502, '<html>Bad gateway</html>');
    if (this.mode === 'unauthorized' || !['Api-Key', 'Bearer'].includes(scheme) || key !== this.key) {
      return send(401, { error: 'Invalid API key' });
    }
    if (this.mode === 'forbidden') return send(403, { error: 'Forbidden' });
    if (this.mode === 'malformed') return send(200, '{"secrets": [{"name": "unterminated');
    if (this.mode === 'wrong-shape') return send(200, { secrets: 'none' });
    if (this.mode === 'huge') return send(200, JSON.stringify({ secrets: [], padding: 'x'.repeat(5 * 1024 * 1024) }));

    const teamPath = /^\/v1\/teams\/([^/]+)\/secrets$/.exec(path);
    const team = teamPath ? this.teams.find((t) => t.id === decodeURIComponent(teamPath[1])) : this.teams[0];
    if (req.method === 'GET' && path === '/v1/teams') {
      const teams = this.teams.map((t) => ({ ...fixture.team, ...t }));
      return send(200, this.bareTeams ? teams : { teams });
    }
    if ((path === '/v1/secrets' || teamPath) && team) {
      if (req.method === 'GET') {
        const secrets = this.secrets
          .filter((s) => s.team === team.name)
          .map((s) => ({ ...fixture.getAllSecrets.secrets[0], name: s.name, team_name: s.team }));
        return send(200, { secrets });
      }
      if (req.method === 'POST') {
        let p: unknown;
        try {
          p = JSON.parse(body);
        } catch {
          return send(400, { error: 'bad JSON' });
        }
        const { name, value } = p as { name?: unknown; value?: unknown };
        if (typeof name !== 'string' || typeof value !== 'string') return send(400, { error: 'name and value' });
        const s = this.put(name, value, team.name);
        return send(200, { ...fixture.upsertResponse, name: s.name, team_name: s.team });
      }
    }
    return send(404, { error: 'not found' });
  }
}
