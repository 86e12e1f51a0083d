#!/usr/bin/env node
// A stand-in for the VS Code executable, for @vscode/test-electron's runTests({ vscodeExecutablePath }).
// It takes the arguments runTests passes (--extensionDevelopmentPath=, --extensionTestsPath=,
// --user-data-dir=, --extensions-dir=, a folder), starts code-server, opens the workbench in headless
// chromium with the same paths in the URL payload, and exits with the exit code of the test run,
// which the workbench reports through window.codeAutomationExit.
// Env: CODE_SERVER, CHROMIUM, E2E_TIMEOUT_MS (default 5 minutes).
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import {
  type CodeServer,
  NOISE,
  RESULTS,
  launchBrowser,
  seconds,
  startCodeServer,
  tempDir,
  writeUserSettings,
} from './editor';

const started = Date.now();
const log = (line: string): void => console.log(`[shim ${seconds(started)}] ${line}`);

interface Args {
  developmentPaths: string[];
  testsPath?: string;
  userDataDir?: string;
  extensionsDir?: string;
  folder?: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { developmentPaths: [] };
  for (const arg of argv) {
    const m = /^--([^=]+)=(.*)$/.exec(arg);
    if (!m) {
      if (!arg.startsWith('-')) args.folder = resolve(arg);
      continue; // flags meant for Electron (--no-sandbox, --disable-updates, …)
    }
    const [, name, value] = m;
    if (name === 'extensionDevelopmentPath') args.developmentPaths.push(resolve(value));
    else if (name === 'extensionTestsPath') args.testsPath = resolve(value);
    else if (name === 'user-data-dir') args.userDataDir = resolve(value);
    else if (name === 'extensions-dir') args.extensionsDir = resolve(value);
  }
  return args;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (!args.testsPath) throw new Error('no --extensionTestsPath');
  const userDataDir = args.userDataDir ?? tempDir('udd');
  const extensionsDir = args.extensionsDir ?? join(userDataDir, 'extensions');
  const folder = args.folder ?? tempDir('ws');
  writeUserSettings(userDataDir);

  let server: CodeServer | undefined;
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  try {
    server = await startCodeServer(userDataDir, extensionsDir);
    log(`code-server on ${server.url}`);
    browser = await launchBrowser();
    const { page } = browser;

    let exitCode: number | undefined;
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((r) => (finish = r));
    // The hooks the web workbench calls in test runs; they must exist before the page loads.
    await page.exposeFunction('codeAutomationLog', (_type: string, parts: unknown[]) => {
      const line = format(...(parts as [unknown, ...unknown[]]));
      if (!NOISE.test(line)) console.log(line);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => {
      exitCode = code;
      finish();
    });

    const s = server;
    const payload: Array<[string, string]> = [
      ...args.developmentPaths.map((p): [string, string] => ['extensionDevelopmentPath', s.remote(p)]),
      ['extensionTestsPath', s.remote(args.testsPath)],
    ];
    await page.goto(server.workbench(folder, payload));
    log('workbench loading; the tests run in its extension host');

    const limit = Number(process.env.E2E_TIMEOUT_MS || 300_000);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([finished, new Promise<void>((r) => (timer = setTimeout(r, limit)))]);
    clearTimeout(timer);
    if (exitCode === undefined) {
      console.error(`[shim] no result after ${limit} ms`);
      await page.screenshot({ path: join(RESULTS, 'shim-timeout.png') }).catch(() => undefined);
      exitCode = 3;
    }
    log(`test run exited with ${exitCode}`);
    return exitCode;
  } finally {
    await browser?.close();
    server?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`[shim] ${e instanceof Error ? e.message : e}`);
    process.exit(2);
  },
);
