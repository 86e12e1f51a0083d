import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../ruleFiles';
import {
  type Diagnostic,
  type InitializeParams,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  StreamMessageReader,
  StreamMessageWriter,
  createProtocolConnection,
} from 'vscode-languageserver-protocol/node';

export const SERVER = join(ROOT, 'dist', 'server.js');

let cacheDir: string | undefined;
/** A folder of this test process for the servers' code cache (server/src/boot.ts), removed at exit. */
function testCacheDir(): string {
  if (!cacheDir) {
    const dir = mkdtempSync(join(tmpdir(), 'truss-code-cache-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    cacheDir = dir;
  }
  return cacheDir;
}

/** An LSP client that drives the real server over stdio, as an editor does. */
export class LspClient {
  readonly connection: ProtocolConnection;
  private readonly proc: ChildProcess;
  private readonly waiters: Array<{ uri: string; version?: number; resolve: (d: Diagnostic[]) => void }> = [];
  readonly published: PublishDiagnosticsParams[] = [];
  /** Every message the server sent, as JSON, for scanning. */
  readonly received: string[] = [];
  /** window/logMessage and window/showMessage texts: the server logs only its own errors. */
  readonly logs: string[] = [];
  stderr = '';
  /** Every byte the server wrote on stdout, headers included, for scanning. */
  readonly raw: Buffer[] = [];
  /** What `workspace/configuration` answers for the `trussConfig` section. */
  settings: Record<string, unknown> | null = {};
  /** For another server: the answer per section. */
  sections: Record<string, unknown> | undefined;
  /** What `workspace/configuration` answers for `files.exclude`. */
  filesExclude: Record<string, boolean> = {};
  /** The capabilities the server registered (`client/registerCapability`), and those it dropped. */
  readonly registered = new Map<string, { method: string; registerOptions?: unknown }>();

  private constructor(server: string, args: string[], env?: NodeJS.ProcessEnv, asProgram = false) {
    const [command, argv] = asProgram
      ? [server, ['--stdio', ...args]]
      : [process.execPath, [server, '--stdio', ...args]];
    // The server's code cache in this run's folder, not the user's (a test may set its own).
    const withCache = { TRUSS_CONFIG_CACHE_DIR: testCacheDir(), ...(env ?? process.env) };
    this.proc = spawn(command, argv, { stdio: ['pipe', 'pipe', 'pipe'], env: withCache });
    this.proc.stderr!.on('data', (d) => (this.stderr += d));
    this.proc.stdout!.on('data', (d: Buffer) => this.raw.push(d));
    this.connection = createProtocolConnection(
      new StreamMessageReader(this.proc.stdout!),
      new StreamMessageWriter(this.proc.stdin!),
    );
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.push(p);
      this.received.push(JSON.stringify(p));
      for (let i = this.waiters.length - 1; i >= 0; i--) {
        const w = this.waiters[i];
        if (w.uri === p.uri && (w.version === undefined || w.version === p.version)) {
          this.waiters.splice(i, 1);
          w.resolve(p.diagnostics);
        }
      }
    });
    this.connection.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) =>
      p.items.map((i) =>
        this.sections && i.section
          ? (this.sections[i.section] ?? null)
          : i.section === 'files.exclude'
            ? this.filesExclude
            : this.settings,
      ),
    );
    this.connection.onRequest(
      'client/registerCapability',
      (p: { registrations: Array<{ id: string; method: string; registerOptions?: unknown }> }) => {
        for (const r of p.registrations) this.registered.set(r.id, r);
        return null;
      },
    );
    this.connection.onRequest('client/unregisterCapability', (p: { unregisterations: Array<{ id: string }> }) => {
      for (const r of p.unregisterations) this.registered.delete(r.id);
      return null;
    });
    this.connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
    });
    this.connection.onNotification('window/showMessage', (p: { message: string }) => {
      this.logs.push(p.message);
    });
    this.connection.onUnhandledNotification((n) => this.received.push(JSON.stringify(n)));
    this.connection.listen();
  }

  static async start(
    opts: {
      configuration?: boolean;
      server?: string;
      sections?: Record<string, unknown>;
      /** Workspace folders (file URIs): the server then checks their configs, opened or not. */
      folders?: string[];
      /** Whether the client says it supports workspace folders (and their change events). */
      folderEvents?: boolean;
      settings?: Record<string, unknown>;
      /** The server's environment (default: this process's). */
      env?: NodeJS.ProcessEnv;
      /** Whether the client watches files below a folder (`RelativePattern`). */
      relativeWatch?: boolean;
      /** Whether the client lets the server register for configuration changes (default true). */
      configurationRegistration?: boolean;
      /** Run the server file as a program (its shebang), as an editor runs the npm package's bin. */
      asProgram?: boolean;
      /** What the client tells the server at start (the extension: `{ trusted }`). */
      initializationOptions?: unknown;
      /** More arguments for the server, after `--stdio`. */
      args?: string[];
    } = {},
  ): Promise<LspClient> {
    const client = new LspClient(opts.server ?? SERVER, opts.args ?? [], opts.env, opts.asProgram);
    client.sections = opts.sections;
    if (opts.settings) client.settings = opts.settings;
    const params: InitializeParams = {
      processId: process.pid,
      rootUri: null,
      initializationOptions: opts.initializationOptions,
      workspaceFolders: opts.folders?.map((uri, i) => ({ uri, name: `folder${i}` })) ?? null,
      capabilities: {
        workspace: {
          configuration: opts.configuration ?? true,
          workspaceFolders: opts.folderEvents ?? true,
          didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: opts.relativeWatch ?? false },
          didChangeConfiguration: { dynamicRegistration: opts.configurationRegistration ?? true },
          workspaceEdit: { documentChanges: true },
        },
        textDocument: {
          publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
        },
      },
    };
    await client.connection.sendRequest('initialize', params);
    await client.connection.sendNotification('initialized', {});
    return client;
  }

  /** The server's process id. */
  get pid(): number | undefined {
    return this.proc.pid;
  }

  /** Sends a request and keeps its answer for scanning. */
  async request<T>(method: string, params: unknown): Promise<T> {
    const result = await this.connection.sendRequest(method, params);
    this.received.push(JSON.stringify(result));
    return result as T;
  }

  /** Resolves with the next diagnostics published for this document (and version, if given). */
  nextDiagnostics(uri: string, version?: number, timeoutMs = 5000): Promise<Diagnostic[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no diagnostics for ${uri} v${version} in ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push({
        uri,
        version,
        resolve: (d) => {
          clearTimeout(timer);
          resolve(d);
        },
      });
    });
  }

  open(uri: string, text: string, version = 1): Promise<Diagnostic[]> {
    // Another server may publish without a version.
    const next = this.nextDiagnostics(uri, this.sections ? undefined : version);
    void this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version, text },
    });
    return next;
  }

  /** Opens a Python file: its problems come with its Truss's (no version), so nothing is awaited. */
  openPython(uri: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'python', version, text },
    });
  }

  /** The latest diagnostics published for a URI (undefined: none yet). */
  latest(uri: string): Diagnostic[] | undefined {
    for (let i = this.published.length - 1; i >= 0; i--) {
      if (this.published[i].uri === uri) return this.published[i].diagnostics;
    }
    return undefined;
  }

  /** Waits until `ready` holds for the latest diagnostics of a URI (undefined: none published yet). */
  async until(uri: string, ready: (d: Diagnostic[] | undefined) => boolean, ms = 8000): Promise<Diagnostic[]> {
    const start = Date.now();
    for (;;) {
      const d = this.latest(uri);
      if (ready(d)) return d ?? [];
      if (Date.now() - start > ms) throw new Error(`timed out on ${uri}: ${JSON.stringify(d)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  change(uri: string, version: number, changes: Array<{ text: string; range?: unknown }>): Promise<Diagnostic[]> {
    const next = this.nextDiagnostics(uri, version);
    void this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: changes,
    });
    return next;
  }

  close(uri: string): Promise<Diagnostic[]> {
    const next = this.nextDiagnostics(uri);
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    return next;
  }

  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((r) => this.proc.on('exit', (code) => r(code)));
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      this.proc.kill();
    }
    const code = await exited;
    this.connection.dispose();
    return code;
  }
}

let counter = 0;
let trusses: string | undefined;

/**
 * Makes `dir` a Truss's folder: its model code, model/model.py, beside the config (detection takes the
 * folder as evidence: a lone `model_name` is a Truss config there only). The model hands its arguments on
 * whole: which secret it reads cannot be followed, and none is unused.
 */
export function writeModelCode(dir: string): void {
  mkdirSync(join(dir, 'model'), { recursive: true });
  const model = 'class Model:\n    def __init__(self, **kwargs):\n        self._engine = Engine(**kwargs)\n';
  writeFileSync(join(dir, 'model', 'model.py'), `from engine import Engine\n\n\n${model}`);
}

/** A new document's URI, in a Truss's folder of its own (`writeModelCode`). */
export function uri(name = 'config.yaml'): string {
  if (!trusses) {
    const made = (trusses = mkdtempSync(join(tmpdir(), 'truss-lsp-')));
    process.on('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  const dir = join(trusses, `project${++counter}`);
  writeModelCode(dir);
  return pathToFileURL(join(dir, name)).href;
}

/** A diagnostic's message as text: the string itself, or a MarkupContent's value. */
export function messageText(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}
