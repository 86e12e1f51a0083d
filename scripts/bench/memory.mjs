// @ts-check
// Memory: the server's RSS with many configs open (the corpus, else synthetic configs), against the idle
// server, started as the client starts it and through the bin other editors start; with the Truss folders
// of ../shared/trusses open, config and model code; the live heap after one pass and after the last, for
// a leak.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { sleep } from './lsp.mjs';
import { OURS, started, waitMs } from './servers.mjs';
import { MB, inMB, round } from './stats.mjs';
import { corpusFiles } from './subjects.mjs';
import { syntheticConfig } from './synth.mjs';
import * as targets from './targets.mjs';
import { YLS } from './yls.mjs';
/** @import { Bench } from './context.mjs' */
/** @import { Kind, StartOptions } from './servers.mjs' */

/**
 * @typedef {object} MemorySeries
 * @property {number} files
 * @property {number | undefined} idleMB
 * @property {(number | undefined)[]} afterPassMB RSS after each pass
 * @property {number | undefined} restMB RSS after the first pass and a rest (`restMs`), the set still open
 * @property {number | undefined} peakMB
 * @property {number | undefined} liveHeapMB
 * @property {number} seconds
 */

/** @typedef {{ uri: string, text: string, python?: boolean }} OpenFile */

const SECTION = 'Memory';

/**
 * Opens every file (in batches of 20, waiting for their diagnostics) and keeps them open; then
 * closes them all and does it again, `passes` times. RSS after each pass; with `rest`, also after the
 * first pass and that many ms of rest, the files still open (the server compacts its heap once it has
 * sent nothing for 6 s, lsp/rest.ts: a server in use spends most of its time at rest); with `heap`, the
 * live heap (a heap snapshot) after the last pass.
 * @param {Bench} bench
 * @param {Kind} kind
 * @param {OpenFile[]} files
 * @param {number} passes
 * @param {{ heap?: boolean, rest?: number, start?: Omit<StartOptions, 'heapSnapshots'> }} [options]
 * @returns {Promise<MemorySeries>}
 */
async function memorySeries(bench, kind, files, passes, { heap = false, rest = 0, start = {} } = {}) {
  /** @type {StartOptions} */
  const options = { heapSnapshots: heap, ...start };
  const server = await started(bench, kind, options);
  await sleep(200);
  const idle = server.rss();
  let peak = 0;
  const sampler = setInterval(() => {
    const r = server.rss();
    if (r && r > peak) peak = r;
  }, 50);
  const afterPass = [];
  let restRss;
  let live;
  const t0 = performance.now();
  try {
    for (let pass = 0; pass < passes; pass++) {
      for (let i = 0; i < files.length; i += 20) {
        const batch = files.slice(i, i + 20);
        await Promise.all(batch.map((f) => openFile(server, kind, f)));
      }
      await sleep(200);
      afterPass.push(server.rss());
      if (pass === 0 && rest) {
        await sleep(rest);
        restRss = server.rss();
      }
      if (pass < passes - 1) {
        for (const s of files) await server.close(s.uri);
        await sleep(100);
      }
    }
    clearInterval(sampler);
    if (heap) live = await server.liveHeap();
  } finally {
    clearInterval(sampler);
    await server.stop();
  }
  return {
    files: files.length,
    idleMB: inMB(idle),
    afterPassMB: afterPass.map(inMB),
    restMB: restRss === undefined ? undefined : inMB(restRss),
    peakMB: inMB(peak),
    liveHeapMB: live === undefined ? undefined : round(live / MB, 2),
    seconds: round((performance.now() - t0) / 1000, 1),
  };
}

/**
 * Opens a file as an editor does. A config: resolves with its diagnostics. A Python file, whose
 * diagnostics are published only when it has problems: resolves with a hover in it, which needs its
 * Truss's analysis (a request is handled after the notifications before it).
 * @param {import('./lsp.mjs').LspServer} server
 * @param {Kind} kind
 * @param {OpenFile} file
 */
async function openFile(server, kind, { uri, text, python }) {
  if (!python) return server.open(uri, text, 1, waitMs(kind, 1000) + 30000);
  await server.connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'python', version: 1, text },
  });
  return server.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } }, 30000);
}

/**
 * The Truss folders of ../shared/trusses: each config.yaml, then the Python files under its folder
 * (each once, with the first config above it). Empty without them.
 * @param {Bench} bench
 * @returns {OpenFile[]}
 */
function trussFiles({ inputs }) {
  const root = join(inputs.shared, 'trusses');
  if (!existsSync(root)) return [];
  /** @type {string[]} */
  const configs = [];
  /** @type {string[]} */
  const python = [];
  /** @param {string} dir */
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'config.yaml') configs.push(p);
      else if (e.name.endsWith('.py')) python.push(p);
    }
  };
  walk(root);
  const seen = new Set();
  /** @type {OpenFile[]} */
  const out = [];
  const file = (/** @type {string} */ f, /** @type {boolean} */ py) => ({
    uri: pathToFileURL(f).href,
    text: readFileSync(f, 'utf8'),
    python: py,
  });
  for (const c of configs) {
    out.push(file(c, false));
    const dir = dirname(c) + '/';
    for (const py of python) {
      if (!py.startsWith(dir) || seen.has(py)) continue;
      seen.add(py);
      out.push(file(py, true));
    }
  }
  return out;
}

/**
 * The corpus's configs, else 60 synthetic ones of 100 to 1,000 lines.
 * @param {Bench} bench
 * @returns {OpenFile[]}
 */
function memoryFiles({ inputs, tmp }) {
  if (inputs.haveCorpus)
    return corpusFiles(inputs).map((f) => ({ uri: pathToFileURL(f).href, text: readFileSync(f, 'utf8') }));
  return Array.from({ length: 60 }, (_, i) => {
    const n = [100, 300, 1000][i % 3];
    return { uri: pathToFileURL(join(tmp, `mem-${i}`, 'config.yaml')).href, text: syntheticConfig(n + i).text };
  });
}

/**
 * @param {Bench} bench
 */
export async function memoryRows(bench) {
  const { P, report, inputs } = bench;
  const files = memoryFiles(bench);
  /** @type {Partial<Record<Kind, MemorySeries>>} */
  const mem = {};
  // At rest in every series with a target (in --quick, the first only: the run is kept short).
  const rest = P.restMs;
  const restMore = bench.quick ? 0 : P.restMs;
  for (const kind of bench.kinds)
    mem[kind] = await memorySeries(bench, kind, files, P.rssPasses, {
      heap: kind === OURS && inputs.canSnapshot,
      rest: kind === OURS ? rest : restMore,
    });
  // The live heap after one pass, from a second process, to compare with the one after the last pass.
  const onePass = inputs.canSnapshot ? await memorySeries(bench, OURS, files, 1, { heap: true }) : undefined;
  // The bin other editors start (its shebang gives node the client's flags), where a shebang runs.
  const bin =
    process.platform === 'win32'
      ? undefined
      : await memorySeries(bench, OURS, files, 1, { rest: restMore, start: { bin: true } });
  // For comparison: node's default flags (not how the client starts the server); not in --quick.
  const small = bench.quick ? undefined : await memorySeries(bench, OURS, files, 1, { start: { nodeFlags: [] } });
  const trusses = trussFiles(bench);
  const code = trusses.length ? await memorySeries(bench, OURS, trusses, 1, { rest: restMore }) : undefined;
  report.details.memory = {
    ...mem,
    [`${OURS} (1 pass)`]: onePass,
    [`${OURS} (bin)`]: bin,
    [`${OURS}, node defaults`]: small,
    [`${OURS}, Truss folders`]: code,
  };
  const ours = mem[OURS];
  if (!ours) throw new Error('our server was not measured');
  const setName = inputs.haveCorpus ? `${files.length} corpus configs` : `${files.length} synthetic configs`;
  const rss = ours.afterPassMB;
  const ylsRss = mem[YLS]?.afterPassMB;
  const rows = restRows(bench);
  rows(`RSS, the ${setName} opened one after another (kept open)`, ours, mem[YLS], targets.memory);
  if (bin) rows(`the same, started through its bin (dist/server.js's shebang)`, bin, undefined, targets.memory);
  if (code) {
    const configs = trusses.filter((f) => !f.python).length;
    rows(
      `RSS, the ${configs} Truss folders of trusses/ opened, config.yaml and ${trusses.length - configs} Python files`,
      code,
      undefined,
      targets.trussMemory,
    );
  } else report.note(`no ${join(inputs.shared, 'trusses')}: the Truss folders' memory row is skipped`);
  report.row(
    SECTION,
    `RSS after closing and reopening them ${P.rssPasses - 1} more time(s)`,
    rss.at(-1),
    ylsRss?.at(-1),
    { unit: 'MB', info: 'info' },
  );
  report.row(SECTION, 'peak RSS', ours.peakMB, mem[YLS]?.peakMB, { unit: 'MB', info: 'info' });
  if (small)
    report.row(SECTION, `RSS, first pass, with node's default flags (comparison)`, small.afterPassMB[0], undefined, {
      unit: 'MB',
      info: 'info',
      floor: small.idleMB,
    });
  leakRow(bench, ours, onePass);
}

/**
 * The rows of a memory series: its RSS at rest against the target, when it was read, and the RSS the
 * moment the last diagnostics arrived.
 * @param {Bench} bench
 */
function restRows({ P, report }) {
  const rest = `${Math.round(P.restMs / 1000)} s`;
  /**
   * @param {string} label
   * @param {MemorySeries} ours
   * @param {MemorySeries | undefined} yls
   * @param {(mb: number | undefined) => import('./targets.mjs').Target} target
   */
  return (label, ours, yls, target) => {
    if (ours.restMB !== undefined)
      report.row(SECTION, `${label}: at rest, ${rest} after the last diagnostics`, ours.restMB, yls?.restMB, {
        unit: 'MB',
        ...target(ours.restMB),
        floor: ours.idleMB,
      });
    report.row(SECTION, `${label}: the moment the last diagnostics arrived`, ours.afterPassMB[0], yls?.afterPassMB[0], {
      unit: 'MB',
      info: 'info',
      floor: ours.idleMB,
    });
  };
}

/**
 * The live heap's growth from one pass to the last, where heap snapshots work.
 * @param {Bench} bench
 * @param {MemorySeries} last
 * @param {MemorySeries | undefined} onePass
 */
function leakRow({ P, report }, last, onePass) {
  if (onePass?.liveHeapMB === undefined || last.liveHeapMB === undefined) {
    report.note('live heap not measured (heap snapshots on SIGUSR2 need Linux or macOS)');
    return;
  }
  const growth = last.liveHeapMB - onePass.liveHeapMB;
  report.row(
    SECTION,
    `live heap (heap snapshot), 1 → ${P.rssPasses} passes: ${onePass.liveHeapMB} → ${last.liveHeapMB} MB; growth`,
    growth,
    undefined,
    { unit: 'MB', ...targets.leak(growth) },
  );
}
