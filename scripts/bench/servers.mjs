// @ts-check
// Starting the servers measured: ours as the client starts it, yaml-language-server with truss's schema,
// and the protocol alone.
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LspServer } from './lsp.mjs';
import { YLS, settingsPulled, ylsServer } from './yls.mjs';
/** @import { Diagnostic } from 'vscode-languageserver-protocol' */
/** @import { Bench } from './context.mjs' */

export const OURS = 'truss-config';

/** @typedef {typeof OURS | typeof YLS} Kind */

/**
 * @typedef {object} StartOptions
 * @property {boolean} [heapSnapshots] a heap snapshot on SIGUSR2 (LspServer.liveHeap)
 * @property {string[]} [nodeFlags] our server's V8 flags: the client's by default, `[]` for node's defaults
 * @property {boolean} [bin] ours started as other editors start it: the bin `dist/server.js` run as a program,
 *   its shebang giving node its flags (no other flag can be added)
 * @property {string} [codeCache] our server's code cache folder (default: the run's, bench.codeCache)
 */

/**
 * @param {Bench} bench
 * @param {Kind} kind
 * @param {StartOptions} [options]
 */
export function startServer(bench, kind, { heapSnapshots = false, nodeFlags, bin = false, codeCache } = {}) {
  const flags = nodeFlags ?? (kind === OURS ? bench.inputs.serverFlags : []);
  const nodeArgs = [...flags, ...(heapSnapshots ? ['--heapsnapshot-signal=SIGUSR2'] : [])];
  if (kind === YLS) return ylsServer(bench.inputs, nodeArgs, bench.tmp);
  return new LspServer({
    name: OURS,
    command: bin ? bench.serverJs : process.execPath,
    args: bin ? ['--stdio'] : [...nodeArgs, bench.serverJs, '--stdio'],
    cwd: bench.tmp,
    // As the client gives it its storage (server/src/boot.ts).
    env: { TRUSS_CONFIG_CACHE_DIR: codeCache ?? bench.codeCache },
    versioned: true,
    // Every file is checked as a Truss config, whatever its name (corpus files are NAME__config.yaml).
    configuration: (section) =>
      section === 'trussConfig'
        ? { validate: { enable: true }, detect: 'always', files: ['**/*.yaml', '**/*.yml'] }
        : {},
  });
}

/**
 * A server started and initialized, ready to be timed.
 * @param {Bench} bench
 * @param {Kind} kind
 * @param {StartOptions} [options]
 */
export async function started(bench, kind, options) {
  const s = startServer(bench, kind, options);
  await s.initialize();
  if (kind === YLS) await settingsPulled(s);
  return s;
}

/**
 * Our server as an editor starts it on a workspace: default settings (`{}` for every section asked).
 * @param {Bench} bench
 */
export function workspaceServer(bench) {
  return new LspServer({
    name: `${OURS} (workspace)`,
    command: process.execPath,
    args: [...bench.inputs.serverFlags, bench.serverJs, '--stdio'],
    cwd: bench.tmp,
    env: { TRUSS_CONFIG_CACHE_DIR: bench.codeCache },
    versioned: true,
    configuration: () => ({}),
  });
}

/**
 * The protocol alone (protocol-server.mjs), started with our server's flags and initialized.
 * @param {Bench} bench
 */
export async function protocolServer(bench) {
  const s = new LspServer({
    name: 'the protocol alone',
    command: process.execPath,
    args: [...bench.inputs.serverFlags, fileURLToPath(new URL('protocol-server.mjs', import.meta.url)), '--stdio'],
    cwd: bench.tmp,
    versioned: true,
    configuration: () => ({}),
  });
  await s.initialize();
  return s;
}

/**
 * How long to wait for diagnostics on a file of `lines` lines.
 * @param {Kind} kind
 * @param {number} lines
 */
export const waitMs = (kind, lines) => (kind === YLS ? 30000 + lines * 10 : 10000 + lines);

/**
 * Both servers really check: a file with schema errors gets schema diagnostics.
 * @param {Bench} bench
 */
export async function sanityCheck(bench) {
  /** @type {Record<string, Diagnostic['message'][]>} */
  const messages = {};
  bench.report.details.sanity = messages;
  for (const kind of bench.kinds) {
    const s = await started(bench, kind);
    try {
      const uri = pathToFileURL(join(bench.tmp, 'sanity', 'config.yaml')).href;
      const p = await s.open(uri, 'model_name: 3\nresources:\n  cpu: [2]\n', 1, 30000);
      messages[kind] = p.diagnostics.map((d) => d.message);
      if (!p.diagnostics.length) throw new Error(`${kind} reported nothing for a config with schema errors`);
    } finally {
      await s.stop();
    }
  }
}
