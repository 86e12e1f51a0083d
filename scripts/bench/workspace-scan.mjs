// @ts-check
// The workspace scan measured from the server's start: alone (time, memory), and while typing in one config.
import { performance } from 'node:perf_hooks';
import { sleep } from './lsp.mjs';
import { maybeSummary, percentile } from './stats.mjs';
import { TYPED } from './synth.mjs';
/** @import { LspServer } from './lsp.mjs' */
/** @import { Summary } from './stats.mjs' */
/** @import { Position } from './features.mjs' */
/** @import { Workspace } from './workspace-make.mjs' */

/** The server's request that scans the workspace again and answers {configs, withProblems}. */
const CHECK_WORKSPACE = 'trussConfig/checkWorkspace';

/**
 * @typedef {object} Follow
 * @property {Set<string>} published every URI that got diagnostics
 * @property {Set<string>} unexpected files that must be skipped and got diagnostics
 * @property {number | undefined} doneAt when the last planted config got its diagnostics
 * @property {Promise<void>} done resolves then; rejects after `timeoutMs`
 */

/**
 * Follows a server's diagnostics during a scan: `done` resolves with the time the last planted config
 * got its (non-empty) diagnostics; files that must be skipped are counted if they get any.
 * @param {LspServer} server
 * @param {Workspace} ws
 * @param {number} timeoutMs
 * @returns {Follow}
 */
function follow(server, ws, timeoutMs) {
  const seen = new Set();
  /** @type {() => void} */
  let resolve = () => undefined;
  const done = new Promise((r) => (resolve = () => r(undefined)));
  /** @type {Follow} */
  const state = { published: new Set(), unexpected: new Set(), doneAt: undefined, done: Promise.resolve() };
  const stop = server.onPublish((p) => {
    state.published.add(p.uri);
    if (ws.ignored.has(p.uri) && p.diagnostics.length) state.unexpected.add(p.uri);
    if (ws.planted.has(p.uri) && p.diagnostics.length && !seen.has(p.uri)) {
      seen.add(p.uri);
      if (seen.size === ws.planted.size) {
        state.doneAt = p.at;
        resolve();
      }
    }
  });
  const timer = setTimeout(() => resolve(), timeoutMs);
  state.done = done.finally(() => {
    clearTimeout(timer);
    stop();
    if (state.doneAt === undefined) {
      throw new Error(
        `workspace scan: ${seen.size} of ${ws.planted.size} configs with a planted problem got diagnostics ` +
          `within ${timeoutMs / 1000} s`,
      );
    }
  });
  return state;
}

/**
 * Samples the server's RSS every 50 ms; `stop()` returns the highest sample.
 * @param {LspServer} server
 */
function rssSampler(server) {
  let peak = 0;
  const timer = setInterval(() => {
    const rss = server.memory()?.rss;
    if (rss !== undefined && rss > peak) peak = rss;
  }, 50);
  return () => {
    clearInterval(timer);
    return peak || undefined;
  };
}

/**
 * The scan alone: spawn → initialize with the workspace folder → the last planted config's diagnostics.
 * Then the server's RSS now and its peak (VmHWM), and a second scan by request, which answers counts.
 * @param {() => LspServer} start
 * @param {Workspace} ws
 * @param {number} timeoutMs
 */
export async function measureScan(start, ws, timeoutMs) {
  const server = start();
  try {
    const state = follow(server, ws, timeoutMs);
    const sampled = rssSampler(server);
    await server.initialize(20000, { workspaceFolders: [ws.uri] });
    const initializedAt = performance.now();
    await state.done;
    const doneAt = /** @type {number} */ (state.doneAt);
    const end = server.memory();
    const sampledPeak = sampled();
    const rescan = await server.request(CHECK_WORKSPACE, {}, timeoutMs);
    const afterRescan = server.memory();
    const counts = /** @type {{ configs: number, withProblems: number }} */ (rescan.result);
    return {
      ms: doneAt - server.spawnedAt,
      fromInitializedMs: doneAt - initializedAt,
      rssEnd: end?.rss,
      rssPeak: end?.peak,
      rssPeakSampled: sampledPeak,
      published: state.published.size,
      unexpected: [...state.unexpected],
      rescan: { ms: rescan.ms, ...counts, rssPeak: afterRescan?.peak },
    };
  } finally {
    await server.stop();
  }
}

/**
 * @typedef {object} Typing
 * @property {number} scanMs spawn → the last planted config's diagnostics, while typing
 * @property {Partial<Summary> & { n: number }} completion during the scan
 * @property {number | undefined} completionP95
 * @property {Partial<Summary> & { n: number }} edit edit → diagnostics during the scan
 * @property {number | undefined} editP95
 * @property {Partial<Summary> & { n: number }} idleCompletion after the scan
 */

/**
 * Typing during the scan: as soon as the server is initialized, opens the typing config and, until
 * the scan is done, requests completion at each position in turn and sends a one-character edit
 * after every round (waiting for its diagnostics). Only what was sent before the scan ended counts.
 * Then the same completions once the scan is over, for comparison.
 * @param {() => LspServer} start
 * @param {Workspace} ws
 * @param {Position[]} positions
 * @param {number} timeoutMs
 * @param {number} [idleReps]
 * @returns {Promise<Typing>}
 */
export async function measureTyping(start, ws, positions, timeoutMs, idleReps = 20) {
  const server = start();
  const { uri } = ws.typing;
  const completion = (/** @type {Position} */ p) =>
    server.request(
      'textDocument/completion',
      { textDocument: { uri }, position: { line: p.line, character: p.character } },
      30000,
    );
  try {
    const state = follow(server, ws, timeoutMs);
    let scanning = true;
    state.done.then(
      () => (scanning = false),
      () => (scanning = false),
    );
    await server.initialize(20000, { workspaceFolders: [ws.uri] });
    const during = await typeWhile(server, ws, () => scanning, completion, positions);
    await state.done;
    const idle = [];
    for (let rep = 0; rep < idleReps; rep++) for (const p of positions) idle.push((await completion(p)).ms);
    return {
      scanMs: /** @type {number} */ (state.doneAt) - server.spawnedAt,
      completion: maybeSummary(during.completion),
      completionP95: percentile(during.completion, 0.95),
      edit: maybeSummary(during.edit),
      editP95: percentile(during.edit, 0.95),
      idleCompletion: maybeSummary(idle),
    };
  } finally {
    await server.stop();
  }
}

/**
 * Opens the typing config; then, while `scanning()`, a completion at each position and an edit per round.
 * @param {LspServer} server
 * @param {Workspace} ws
 * @param {() => boolean} scanning
 * @param {(p: Position) => Promise<{ ms: number }>} completion
 * @param {Position[]} positions
 */
async function typeWhile(server, ws, scanning, completion, positions) {
  const { uri, text, editLine } = ws.typing;
  const lines = text.split('\n');
  const edited = (/** @type {number} */ i) => {
    const copy = [...lines];
    copy[editLine] = lines[editLine] + TYPED.slice(0, (i % TYPED.length) + 1);
    return copy.join('\n');
  };
  /** @type {{ completion: number[], edit: number[] }} */
  const during = { completion: [], edit: [] };
  let version = 1;
  await server.open(uri, text, version, 30000);
  while (scanning()) {
    for (const p of positions) {
      if (!scanning()) break;
      const r = await completion(p);
      if (scanning()) during.completion.push(r.ms);
    }
    if (!scanning()) break;
    const e = await server.change(uri, edited(version), ++version, 30000);
    if (scanning()) during.edit.push(e.ms);
    await sleep(10);
  }
  return during;
}
