// What the editor tests share: where things are, starting code-server and headless chromium.
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';

/** The extension's folder: the nearest parent of this file with our package.json. */
export const ROOT = (() => {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'truss-config')
      return dir;
  }
  throw new Error(`no truss-config package.json above ${__dirname}`);
})();

export const OUT = join(ROOT, 'out', 'e2e');
export const RESULTS = join(ROOT, 'test-results');
export const EXTENSION_ID = 'truss-config.truss-config';

const INSTALL_HINT =
  'Run `bash scripts/e2e-install.sh` once on this machine (or set CODE_SERVER to a code-server 4.100.x binary). ' +
  'With internet access, E2E_DESKTOP=1 runs the extension-host suite in a desktop VS Code ' +
  'that @vscode/test-electron downloads.';

/** The code-server binary: $CODE_SERVER, else the one scripts/e2e-install.sh put in the cache. */
export function codeServerPath(): string {
  const fromEnv = process.env.CODE_SERVER;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CODE_SERVER=${fromEnv} does not exist. ${INSTALL_HINT}`);
    return fromEnv;
  }
  const home = process.env.E2E_HOME || join(homedir(), '.cache', 'vscode-e2e');
  const cached = join(home, 'code-server', 'node_modules', '.bin', 'code-server');
  if (!existsSync(cached)) throw new Error(`code-server is not installed (looked for ${cached}). ${INSTALL_HINT}`);
  return cached;
}

export function chromiumPath(): string {
  const path = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(path)) throw new Error(`chromium not found at ${path}. ${INSTALL_HINT}`);
  return path;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `truss-e2e-${prefix}-`));
}

/** A fresh copy of test/e2e/workspace (the suites edit documents in it). */
export function copyWorkspace(): string {
  const dir = tempDir('ws');
  cpSync(join(ROOT, 'test', 'e2e', 'workspace'), dir, { recursive: true });
  return dir;
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/** User settings that keep the workbench quiet: no walkthrough, no update or telemetry traffic. */
export function writeUserSettings(userDataDir: string, extra: Record<string, unknown> = {}): void {
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'security.workspace.trust.enabled': false,
    'update.mode': 'none',
    ...extra,
  };
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
}

export interface CodeServer {
  url: string;
  /** A path on this machine as the browser's workbench names it. */
  remote(path: string): string;
  /** The workbench URL that opens `folder`, with extra `payload` entries (extensionDevelopmentPath, …). */
  workbench(folder: string, payload?: Array<[string, string]>): string;
  output(): string;
  stop(): void;
}

/** Starts code-server on a free loopback port, without auth, and waits until it answers. */
export async function startCodeServer(
  userDataDir: string,
  extensionsDir: string,
  /** Extra environment of code-server (and so of the extension and its server). */
  env: NodeJS.ProcessEnv = {},
): Promise<CodeServer> {
  const port = await freePort();
  mkdirSync(extensionsDir, { recursive: true });
  const config = join(userDataDir, 'code-server.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const child: ChildProcess = spawn(
    codeServerPath(),
    [
      '--config',
      config,
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, ...env } }, // its own process group
  );
  let log = '';
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  let exited = false;
  child.on('exit', () => (exited = true));
  const stop = (): void => {
    if (exited || !child.pid) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (exited || Date.now() > deadline) {
      stop();
      throw new Error(`code-server did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const remote = (path: string): string => `vscode-remote://127.0.0.1:${port}${resolve(path)}`;
  return {
    url,
    remote,
    workbench: (folder, payload = []) => {
      const all: Array<[string, string]> = [...payload, ['skipWelcome', 'true']];
      return `${url}/?folder=${encodeURIComponent(resolve(folder))}&payload=${encodeURIComponent(JSON.stringify(all))}`;
    },
    output: () => log,
    stop,
  };
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Headless Debian chromium with a fresh profile and no background traffic (the network is closed). */
export async function launchBrowser(viewport = { width: 1280, height: 800 }): Promise<Browser> {
  const profile = tempDir('chromium');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    viewport,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Workbench console lines that say nothing about our tests. */
export const NOISE =
  /^(Resolv|Creating a socket|Updating additional|\[Service Worker\]|ChatSessionStore)|ENOTFOUND|open-vsx\.org/;

export function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/** Runs a suite's main and prints its closing line, `<name>: N passed, N failed`; exits with its status. */
export function report(
  name: string,
  main: () => Promise<{ passed: number; failed: number }>,
  note?: () => string,
): void {
  main().then(
    ({ passed, failed }) => {
      if (note) console.log(`${name}: ${note()}`);
      console.log(`${name}: ${passed} passed, ${failed} failed`);
      process.exit(failed > 0 ? 1 : 0);
    },
    (e) => {
      console.error(e instanceof Error ? e.message : e);
      console.log(`${name}: 0 passed, 1 failed`);
      process.exit(1);
    },
  );
}
