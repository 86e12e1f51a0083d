/**
 * The npm package as a user gets it: `npm pack` in a fresh copy of the checkout (prepack builds dist/),
 * `npm install -g` of the tarball offline with an empty cache (nothing to fetch), then the two bins run
 * by their names: the checker, and the language server over JSON-RPC on stdio.
 */
import { strict as assert } from 'node:assert';
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import pkg from '../../package.json';
import { BROKEN, CLEAN, cleanEnv, copyCheckout } from '../checkout';
import { ROOT } from '../ruleFiles';

const EXPECTED_FILES = [
  'CHANGELOG.md',
  'LICENSE',
  'README.md',
  'dist/api.d.ts',
  'dist/api.js',
  'dist/cli.js',
  'dist/extension.js',
  'dist/language-server.js',
  'dist/server.js',
  'images/icon.png',
  'package.json',
  'schemas/truss-config.schema.json',
];

describe('npm package', () => {
  let tmp: string;
  let tarball: string;
  let bin: string;
  const env = () => cleanEnv({ npm_config_update_notifier: 'false', npm_config_fund: 'false' });

  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'truss-package-'));
    const checkout = join(tmp, 'checkout');
    copyCheckout(checkout, { nodeModules: true });
    assert.ok(!existsSync(join(checkout, 'dist')), 'a fresh checkout has no dist/');
    mkdirSync(join(tmp, 'packed'));
    execFileSync('npm', ['pack', '--pack-destination', join(tmp, 'packed')], {
      cwd: checkout,
      env: env(),
      stdio: 'pipe',
    });
    tarball = join(
      tmp,
      'packed',
      readdirSync(join(tmp, 'packed')).find((f) => f.endsWith('.tgz'))!,
    );
    const prefix = join(tmp, 'prefix');
    execFileSync(
      'npm',
      ['install', '-g', '--prefix', prefix, '--offline', '--cache', join(tmp, 'empty-cache'), '--no-audit', tarball],
      { cwd: tmp, env: env(), stdio: 'pipe' },
    );
    bin = join(prefix, 'bin');
    // A project that depends on the package, for require('truss-config').
    mkdirSync(join(tmp, 'app', 'node_modules'), { recursive: true });
    symlinkSync(join(prefix, 'lib', 'node_modules', 'truss-config'), join(tmp, 'app', 'node_modules', 'truss-config'));
    mkdirSync(join(tmp, 'ws', 'bad'), { recursive: true });
    mkdirSync(join(tmp, 'ws', 'good'), { recursive: true });
    writeFileSync(join(tmp, 'ws', 'bad', 'config.yaml'), BROKEN);
    writeFileSync(join(tmp, 'ws', 'good', 'config.yaml'), CLEAN);
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('the tarball holds only what runs: the bundles, the schema, README, LICENSE, CHANGELOG', () => {
    const entries = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((e) => e.replace(/^package\//, ''))
      .sort();
    assert.deepEqual(entries, EXPECTED_FILES);
    for (const dir of ['test/', 'scripts/', '.ci/', 'server/src/', 'node_modules/'])
      assert.ok(!entries.some((e) => e.startsWith(dir)), dir);
  });

  it('declares no runtime dependency (everything is bundled) and two bins', () => {
    const manifest = JSON.parse(
      execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }),
    ) as {
      dependencies?: unknown;
      bin?: unknown;
    };
    assert.equal(manifest.dependencies, undefined);
    assert.deepEqual(manifest.bin, {
      'truss-config': './dist/cli.js',
      'truss-config-language-server': './dist/server.js',
    });
  });

  it("require('truss-config') and import give check(text, options), with its types", () => {
    const script =
      "const { check } = require('truss-config');" +
      "const text = 'model_name: m\\npython_version: py311\\nresorces: {}\\n';" +
      'console.log(JSON.stringify([check(text), check(text, { rules: { "unknown-key": "off" } })]));' +
      "import('truss-config').then((m) => console.log(typeof m.check));";
    const r = spawnSync(process.execPath, ['-e', script], { cwd: join(tmp, 'app'), encoding: 'utf8', env: env() });
    assert.equal(r.status, 0, r.stderr);
    const [json, esm] = r.stdout.trim().split('\n');
    const [found, off] = JSON.parse(json) as Array<Array<{ code: string; severity: string; range: unknown }>>;
    assert.deepEqual(
      found.map((f) => [f.code, f.severity, f.range]),
      [['unknown-key', 'error', { start: { line: 2, character: 0 }, end: { line: 2, character: 8 } }]],
    );
    assert.deepEqual(off, []);
    assert.equal(esm, 'function');
    // A TypeScript user gets the types through package.json's `exports`.
    writeFileSync(
      join(tmp, 'app', 'use.ts'),
      "import { check, type CheckFinding } from 'truss-config';\n" +
        "const found: CheckFinding[] = check('a: 1', { detect: 'always', trussVersion: '0.13.1' });\n" +
        'export const first: string | undefined = found[0]?.code;\n',
    );
    const tsc = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '--strict', '--module', 'node16', 'use.ts'],
      { cwd: join(tmp, 'app'), encoding: 'utf8' },
    );
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
  });

  it('truss-config --version and --help', () => {
    const version = spawnSync(join(bin, 'truss-config'), ['--version'], { encoding: 'utf8', env: env() });
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout, `truss-config ${pkg.version}\n`);
    const help = spawnSync(join(bin, 'truss-config'), ['--help'], { encoding: 'utf8', env: env() });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^Usage: truss-config \[options\] <file or folder>\.\.\./);
  });

  it('truss-config fails on a broken config with the code, and passes a clean one', () => {
    const bad = spawnSync(join(bin, 'truss-config'), ['bad/config.yaml'], {
      cwd: join(tmp, 'ws'),
      encoding: 'utf8',
      env: env(),
    });
    assert.equal(bad.status, 1, bad.stdout + bad.stderr);
    assert.match(bad.stdout, /^bad\/config\.yaml:8:5: error unknown-key /m);
    const good = spawnSync(join(bin, 'truss-config'), ['good'], { cwd: join(tmp, 'ws'), encoding: 'utf8', env: env() });
    assert.equal(good.status, 0, good.stdout + good.stderr);
    assert.equal(good.stdout, '1 file checked: 0 errors, 0 warnings, 0 information\n');
  });

  it('truss-config-language-server --stdio publishes the diagnostics of an opened config', async () => {
    const server = new RawLsp(spawn(join(bin, 'truss-config-language-server'), ['--stdio'], { env: env() }));
    try {
      const init = (await server.request('initialize', {
        processId: process.pid,
        rootUri: null,
        capabilities: {},
      })) as { capabilities: { textDocumentSync?: unknown } };
      assert.ok(init.capabilities.textDocumentSync, 'the server says how it syncs documents');
      server.notify('initialized', {});
      const uri = pathToFileURL(join(tmp, 'ws', 'bad', 'config.yaml')).href;
      server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: BROKEN } });
      const published = await server.next(
        (m) => m.method === 'textDocument/publishDiagnostics' && (m.params as { uri: string }).uri === uri,
      );
      const diagnostics = (published.params as { diagnostics: Array<{ code: string; range: unknown }> }).diagnostics;
      assert.ok(
        diagnostics.some((d) => d.code === 'unknown-key'),
        JSON.stringify(diagnostics.map((d) => d.code)),
      );
      await server.request('shutdown', null);
      server.notify('exit', null);
      assert.equal(await server.exited, 0);
    } finally {
      server.kill();
    }
  });
});

interface Message {
  id?: number;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: unknown;
}

/** JSON-RPC over stdio with LSP's Content-Length framing, written out by hand as any editor does. */
class RawLsp {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly waiters: Array<{ match: (m: Message) => boolean; resolve: (m: Message) => void }> = [];
  private readonly seen: Message[] = [];
  readonly exited: Promise<number | null>;
  stderr = '';

  constructor(private readonly proc: ChildProcess) {
    this.exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
    proc.stderr!.on('data', (d) => (this.stderr += d));
    proc.stdout!.on('data', (d: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, d]);
      for (;;) {
        const end = this.buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString('ascii'))?.[1]);
        if (this.buffer.length < end + 4 + length) return;
        const message = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString('utf8')) as Message;
        this.buffer = this.buffer.subarray(end + 4 + length);
        this.receive(message);
      }
    });
  }

  private receive(m: Message): void {
    // A request from the server (client/registerCapability…): a client without the capability answers null.
    if (m.method && m.id !== undefined) this.send({ id: m.id, result: null });
    const i = this.waiters.findIndex((w) => w.match(m));
    if (i >= 0) this.waiters.splice(i, 1)[0].resolve(m);
    else this.seen.push(m);
  }

  private send(m: Message): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...m }), 'utf8');
    this.proc.stdin!.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.proc.stdin!.write(body);
  }

  next(match: (m: Message) => boolean, timeoutMs = 10_000): Promise<Message> {
    const i = this.seen.findIndex(match);
    if (i >= 0) return Promise.resolve(this.seen.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no such message in ${timeoutMs} ms; stderr: ${this.stderr}`)),
        timeoutMs,
      );
      this.waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  async request(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    this.send({ id, method, params });
    const answer = await this.next((m) => m.id === id && !m.method);
    if (answer.error) throw new Error(`${method}: ${JSON.stringify(answer.error)}`);
    return answer.result;
  }

  notify(method: string, params: unknown): void {
    this.send({ method, params });
  }

  kill(): void {
    this.proc.kill();
  }
}
