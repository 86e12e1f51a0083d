// A small LSP client over stdio for the benchmark: spawns a server, answers its
// workspace/configuration requests, and waits for publishDiagnostics with timeouts.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  CancellationTokenSource,
} = require('vscode-languageserver-protocol/node');

/** Every server process started, so that they can all be killed on exit. */
const live = new Set();

export function killAll() {
  for (const proc of live) {
    try {
      proc.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

export class TimeoutError extends Error {}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * One language server process.
 * `configuration(section, scopeUri)` answers workspace/configuration items;
 * `versioned` says whether the server puts `version` in publishDiagnostics.
 */
export class LspServer {
  constructor({ name, command, args, configuration, versioned, cwd }) {
    this.name = name;
    this.versioned = versioned;
    this.configuration = configuration;
    this.cwd = cwd;
    this.spawnedAt = performance.now();
    this.proc = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], cwd });
    live.add(this.proc);
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => resolve({ code, signal })));
    this.exited.then(() => live.delete(this.proc));
    this.stderr = '';
    this.proc.stderr.on('data', (d) => {
      this.stderr = (this.stderr + d).slice(-20000);
    });
    this.proc.stdin.on('error', () => undefined);
    /** Every publishDiagnostics, with the time it was received. */
    this.published = [];
    this.waiters = [];
    /** Functions called with every publishDiagnostics (see onPublish). */
    this.listeners = new Set();
    this.configurationRequests = 0;
    this.configurationDelayMs = 0;
    const c = createProtocolConnection(
      new StreamMessageReader(this.proc.stdout),
      new StreamMessageWriter(this.proc.stdin),
    );
    this.connection = c;
    c.onNotification('textDocument/publishDiagnostics', (p) => {
      const at = performance.now();
      const entry = { ...p, at };
      this.published.push(entry);
      if (this.published.length > 5000) this.published.splice(0, 2500);
      for (const fn of this.listeners) fn(entry);
      for (let i = 0; i < this.waiters.length; i++) {
        const w = this.waiters[i];
        if (w.match(entry)) {
          this.waiters.splice(i--, 1);
          w.resolve(entry);
        }
      }
    });
    c.onRequest('workspace/configuration', async (p) => {
      this.configurationRequests++;
      if (this.configurationDelayMs) await new Promise((r) => setTimeout(r, this.configurationDelayMs));
      return p.items.map((item) => this.configuration(item.section, item.scopeUri));
    });
    c.onRequest('client/registerCapability', () => null);
    c.onRequest('client/unregisterCapability', () => null);
    c.onRequest('window/workDoneProgress/create', () => null);
    c.onNotification(() => undefined); // logMessage, telemetry, custom notifications
    c.onError(() => undefined);
    c.onClose(() => undefined);
    c.listen();
  }

  /**
   * Sends initialize and initialized, as an editor with configuration support does.
   * `workspaceFolders`: file URIs of the folders opened (none by default).
   */
  async initialize(timeoutMs = 20000, { workspaceFolders } = {}) {
    const params = {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: workspaceFolders
        ? workspaceFolders.map((uri) => ({ uri, name: uri.split('/').filter(Boolean).pop() }))
        : null,
      capabilities: {
        workspace: {
          configuration: true,
          workspaceFolders: !!workspaceFolders,
          didChangeConfiguration: { dynamicRegistration: true },
          workspaceEdit: { documentChanges: true },
        },
        textDocument: {
          synchronization: { dynamicRegistration: false, didSave: false },
          publishDiagnostics: {
            versionSupport: true,
            relatedInformation: true,
            codeDescriptionSupport: true,
            dataSupport: true,
          },
          completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
        },
      },
    };
    this.initializeResult = await withTimeout(
      this.connection.sendRequest('initialize', params),
      timeoutMs,
      `${this.name} initialize`,
    );
    await this.connection.sendNotification('initialized', {});
    return this.initializeResult;
  }

  /** Calls `fn` with every publishDiagnostics received from now on; returns a function that stops it. */
  onPublish(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Resolves with the first publishDiagnostics (received from now on) that `match` accepts. */
  waitFor(match, timeoutMs, what) {
    let waiter;
    const p = new Promise((resolve) => {
      waiter = { match, resolve };
      this.waiters.push(waiter);
    });
    return withTimeout(p, timeoutMs, `${this.name}: ${what}`).catch((e) => {
      const i = this.waiters.indexOf(waiter);
      if (i >= 0) this.waiters.splice(i, 1);
      throw e;
    });
  }

  /** The diagnostics for this version (our server), or the next ones for the uri (a server without versions). */
  diagnosticsFor(uri, version, timeoutMs) {
    const match = this.versioned ? (p) => p.uri === uri && p.version === version : (p) => p.uri === uri;
    return this.waitFor(match, timeoutMs, `diagnostics for ${uri} v${version}`);
  }

  async open(uri, text, version, timeoutMs) {
    const next = this.diagnosticsFor(uri, version, timeoutMs);
    await this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version, text },
    });
    return next;
  }

  /** A full-text didChange; resolves with { ms, diagnostics }. */
  async change(uri, text, version, timeoutMs) {
    const next = this.diagnosticsFor(uri, version, timeoutMs);
    const started = performance.now();
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
    const p = await next;
    return { ms: p.at - started, diagnostics: p.diagnostics };
  }

  /** Sends a full-text didChange without waiting for anything. */
  changeNoWait(uri, text, version) {
    return this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
  }

  async close(uri) {
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** A timed request; resolves with { ms, result }. */
  async request(method, params, timeoutMs) {
    const started = performance.now();
    const result = await withTimeout(this.connection.sendRequest(method, params), timeoutMs, `${this.name} ${method}`);
    return { ms: performance.now() - started, result };
  }

  /** Sends a request and cancels it right away (or after `afterMs`); resolves with what came back. */
  async cancelledRequest(method, params, timeoutMs, afterMs = 0) {
    const source = new CancellationTokenSource();
    const p = this.connection.sendRequest(method, params, source.token);
    if (afterMs) setTimeout(() => source.cancel(), afterMs);
    else source.cancel();
    try {
      return { result: await withTimeout(p, timeoutMs, `${this.name} cancelled ${method}`) };
    } catch (e) {
      if (e instanceof TimeoutError) throw e;
      return { error: { code: e.code, message: e.message } };
    }
  }

  /** Resident set size of the server process, in bytes (Linux /proc, else ps). */
  rss() {
    const pid = this.proc.pid;
    const status = `/proc/${pid}/status`;
    if (existsSync(status)) {
      const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(status, 'utf8'));
      return m ? Number(m[1]) * 1024 : undefined;
    }
    try {
      return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024;
    } catch {
      return undefined;
    }
  }

  /**
   * The resident set size now and its peak over the process's life (VmRSS, VmHWM), in bytes;
   * undefined where /proc is not there.
   */
  memory() {
    try {
      const status = readFileSync(`/proc/${this.proc.pid}/status`, 'utf8');
      const kB = (key) => {
        const m = new RegExp(`${key}:\\s+(\\d+)\\s+kB`).exec(status);
        return m ? Number(m[1]) * 1024 : undefined;
      };
      return { rss: kB('VmRSS'), peak: kB('VmHWM') };
    } catch {
      return undefined;
    }
  }

  /**
   * The live heap in bytes: the size of a heap snapshot (taken after a full GC), which the
   * process writes to its cwd on SIGUSR2 when started with --heapsnapshot-signal=SIGUSR2.
   */
  async liveHeap(timeoutMs = 30000) {
    const before = new Set(readdirSync(this.cwd));
    this.proc.kill('SIGUSR2');
    const t0 = performance.now();
    let last = -1;
    while (performance.now() - t0 < timeoutMs) {
      await new Promise((r) => setTimeout(r, 200));
      const file = readdirSync(this.cwd).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
      if (!file) continue;
      const path = join(this.cwd, file);
      const size = statSync(path).size;
      if (size !== last) {
        last = size;
        continue;
      }
      try {
        const snap = JSON.parse(readFileSync(path, 'utf8'));
        const fields = snap.snapshot.meta.node_fields;
        const selfSize = fields.indexOf('self_size');
        let total = 0;
        for (let i = selfSize; i < snap.nodes.length; i += fields.length) total += snap.nodes[i];
        rmSync(path, { force: true });
        return total;
      } catch {
        // still being written
      }
    }
    return undefined;
  }

  /** shutdown + exit, then a kill if the process is still there. */
  async stop() {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    try {
      await withTimeout(this.connection.sendRequest('shutdown'), 3000, `${this.name} shutdown`);
      await this.connection.sendNotification('exit');
    } catch {
      // killed below
    }
    const gone = await Promise.race([
      this.exited.then(() => true),
      new Promise((r) => setTimeout(() => r(false), 2000)),
    ]);
    if (!gone) {
      this.proc.kill('SIGKILL');
      await this.exited;
    }
    this.connection.dispose();
  }
}
