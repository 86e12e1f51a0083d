// @ts-check
// A small LSP client over stdio for the benchmark: spawns a server, answers its
// workspace/configuration requests, and waits for publishDiagnostics with timeouts.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import rpc from 'vscode-languageserver-protocol/node';
/** @import { ChildProcess } from 'node:child_process' */
/** @import { ConfigurationParams, InitializeParams, PublishDiagnosticsParams } from 'vscode-languageserver-protocol' */

const { createProtocolConnection, StreamMessageReader, StreamMessageWriter, CancellationTokenSource, ResponseError } =
  rpc;

/** @typedef {PublishDiagnosticsParams & { at: number }} Published */
/** @typedef {{ code: number | null, signal: NodeJS.Signals | null }} Exit */

/**
 * @typedef {object} ServerOptions
 * @property {string} name
 * @property {string} command
 * @property {string[]} args
 * @property {string} cwd
 * @property {Record<string, string>} [env] added to this process's environment
 * @property {boolean} versioned whether the server puts `version` in publishDiagnostics
 * @property {(section: string | undefined, scopeUri: string | undefined) => unknown} configuration
 *   answers workspace/configuration items
 */

/** Every server process started, so that they can all be killed on exit. @type {Set<ChildProcess>} */
const live = new Set();

/**
 * @param {number} ms
 * @returns {Promise<void>}
 */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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

/**
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {string} what
 * @returns {Promise<T>}
 */
function withTimeout(promise, ms, what) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  /** @type {Promise<never>} */
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** One language server process. */
export class LspServer {
  /** @param {ServerOptions} options */
  constructor({ name, command, args, configuration, versioned, cwd, env }) {
    this.name = name;
    this.versioned = versioned;
    this.configuration = configuration;
    this.cwd = cwd;
    this.spawnedAt = performance.now();
    this.proc = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], cwd, env: { ...process.env, ...env } });
    live.add(this.proc);
    /** @type {Promise<Exit>} */
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => resolve({ code, signal })));
    this.exited.then(() => live.delete(this.proc));
    this.stderr = '';
    this.proc.stderr.on('data', (d) => {
      this.stderr = (this.stderr + d).slice(-20000);
    });
    this.proc.stdin.on('error', () => undefined);
    /** Every publishDiagnostics, with the time it was received. @type {Published[]} */
    this.published = [];
    /** @type {{ match: (p: Published) => boolean, resolve: (p: Published) => void }[]} */
    this.waiters = [];
    /** Functions called with every publishDiagnostics (see onPublish). @type {Set<(p: Published) => void>} */
    this.listeners = new Set();
    this.configurationRequests = 0;
    this.configurationDelayMs = 0;
    const c = createProtocolConnection(
      new StreamMessageReader(this.proc.stdout),
      new StreamMessageWriter(this.proc.stdin),
    );
    this.connection = c;
    c.onNotification('textDocument/publishDiagnostics', (/** @type {Published} */ p) => {
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
    c.onRequest('workspace/configuration', async (/** @type {ConfigurationParams} */ p) => {
      this.configurationRequests++;
      if (this.configurationDelayMs) await sleep(this.configurationDelayMs);
      return p.items.map((item) => this.configuration(item.section, item.scopeUri));
    });
    c.onRequest('client/registerCapability', () => null);
    c.onRequest('client/unregisterCapability', () => null);
    c.onRequest('window/workDoneProgress/create', () => null);
    // Other notifications (logMessage, telemetry, custom ones) are dropped by the library.
    c.onError(() => undefined);
    c.onClose(() => undefined);
    c.listen();
  }

  /**
   * Sends initialize and initialized, as an editor with configuration support does.
   * `workspaceFolders`: file URIs of the folders opened (none by default).
   * @param {number} [timeoutMs]
   * @param {{ workspaceFolders?: string[] }} [options]
   */
  async initialize(timeoutMs = 20000, { workspaceFolders } = {}) {
    /** @type {InitializeParams} */
    const params = {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: workspaceFolders
        ? workspaceFolders.map((uri) => ({ uri, name: uri.split('/').filter(Boolean).pop() ?? uri }))
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

  /**
   * Calls `fn` with every publishDiagnostics received from now on; returns a function that stops it.
   * @param {(p: Published) => void} fn
   */
  onPublish(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * Resolves with the first publishDiagnostics (received from now on) that `match` accepts.
   * @param {(p: Published) => boolean} match
   * @param {number} timeoutMs
   * @param {string} what
   * @returns {Promise<Published>}
   */
  waitFor(match, timeoutMs, what) {
    /** @type {{ match: (p: Published) => boolean, resolve: (p: Published) => void }} */
    const waiter = { match, resolve: () => undefined };
    /** @type {Promise<Published>} */
    const p = new Promise((resolve) => {
      waiter.resolve = resolve;
      this.waiters.push(waiter);
    });
    return withTimeout(p, timeoutMs, `${this.name}: ${what}`).catch((e) => {
      const i = this.waiters.indexOf(waiter);
      if (i >= 0) this.waiters.splice(i, 1);
      throw e;
    });
  }

  /**
   * The diagnostics for this version (our server), or the next ones for the uri (a server without versions).
   * @param {string} uri
   * @param {number} version
   * @param {number} timeoutMs
   */
  diagnosticsFor(uri, version, timeoutMs) {
    /** @type {(p: Published) => boolean} */
    const match = this.versioned ? (p) => p.uri === uri && p.version === version : (p) => p.uri === uri;
    return this.waitFor(match, timeoutMs, `diagnostics for ${uri} v${version}`);
  }

  /**
   * A didOpen; resolves with its diagnostics.
   * @param {string} uri
   * @param {string} text
   * @param {number} version
   * @param {number} timeoutMs
   */
  async open(uri, text, version, timeoutMs) {
    const next = this.diagnosticsFor(uri, version, timeoutMs);
    await this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version, text },
    });
    return next;
  }

  /**
   * A full-text didChange; resolves with { ms, diagnostics }.
   * @param {string} uri
   * @param {string} text
   * @param {number} version
   * @param {number} timeoutMs
   */
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

  /**
   * Sends a full-text didChange without waiting for anything.
   * @param {string} uri
   * @param {string} text
   * @param {number} version
   */
  changeNoWait(uri, text, version) {
    return this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
  }

  /** @param {string} uri */
  async close(uri) {
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /**
   * A timed request; resolves with { ms, result }.
   * @param {string} method
   * @param {object} params
   * @param {number} timeoutMs
   */
  async request(method, params, timeoutMs) {
    const started = performance.now();
    /** @type {unknown} */
    const result = await withTimeout(this.connection.sendRequest(method, params), timeoutMs, `${this.name} ${method}`);
    return { ms: performance.now() - started, result };
  }

  /**
   * Sends a request and cancels it right away (or after `afterMs`); resolves with what came back.
   * @param {string} method
   * @param {object} params
   * @param {number} timeoutMs
   * @param {number} [afterMs]
   * @returns {Promise<{ result?: unknown, error?: { code: number | undefined, message: string } }>}
   */
  async cancelledRequest(method, params, timeoutMs, afterMs = 0) {
    const source = new CancellationTokenSource();
    /** @type {Promise<unknown>} */
    const p = this.connection.sendRequest(method, params, source.token);
    if (afterMs) setTimeout(() => source.cancel(), afterMs);
    else source.cancel();
    try {
      return { result: await withTimeout(p, timeoutMs, `${this.name} cancelled ${method}`) };
    } catch (e) {
      if (e instanceof TimeoutError) throw e;
      return {
        error: { code: e instanceof ResponseError ? e.code : undefined, message: e instanceof Error ? e.message : '' },
      };
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
      const kB = (/** @type {string} */ key) => {
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
   * @param {number} [timeoutMs]
   * @returns {Promise<number | undefined>}
   */
  async liveHeap(timeoutMs = 30000) {
    const before = new Set(readdirSync(this.cwd));
    this.proc.kill('SIGUSR2');
    const t0 = performance.now();
    let last = -1;
    while (performance.now() - t0 < timeoutMs) {
      await sleep(200);
      const file = readdirSync(this.cwd).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
      if (!file) continue;
      const path = join(this.cwd, file);
      const size = statSync(path).size;
      if (size !== last) {
        last = size;
        continue;
      }
      try {
        /** @type {{ snapshot: { meta: { node_fields: string[] } }, nodes: number[] }} */
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
    const gone = await Promise.race([this.exited.then(() => true), sleep(2000).then(() => false)]);
    if (!gone) {
      this.proc.kill('SIGKILL');
      await this.exited;
    }
    this.connection.dispose();
  }
}
