// @ts-check
// The workspace rows: a generated workspace of P.workspace configs (copies of the corpus, else synthetic
// configs), scanned by our server from its start: once alone (time, memory), once while typing in one config.
import { readFileSync, rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { workspaceServer } from './servers.mjs';
import { MB, inMB, round } from './stats.mjs';
import { corpusFiles } from './subjects.mjs';
import { syntheticConfig } from './synth.mjs';
import * as targets from './targets.mjs';
import { buildWorkspace } from './workspace-make.mjs';
import { measureScan, measureTyping } from './workspace-scan.mjs';
/** @import { Bench } from './context.mjs' */
/** @import { Position } from './features.mjs' */
/** @import { Subject } from './subjects.mjs' */
/** @import { Layout, Workspace } from './workspace-make.mjs' */
/** @import { Typing } from './workspace-scan.mjs' */

/** @typedef {Awaited<ReturnType<typeof measureScan>>} Scan */

/**
 * @param {Bench} bench
 * @param {Subject} subject the config typed into
 * @param {Position[]} completionPositions
 */
export async function workspaceRows(bench, subject, completionPositions) {
  const { P, inputs, quick, report } = bench;
  const sources = inputs.haveCorpus
    ? corpusFiles(inputs)
        .slice(0, P.workspaceSources)
        .map((f) => ({ text: readFileSync(f, 'utf8') }))
    : Array.from({ length: Math.min(P.workspace, P.workspaceSources, 50) }, (_, i) => ({
        text: syntheticConfig(40 + ((i * 37) % 160)).text.replace('bench-synthetic', `bench-synthetic-${i}`),
      }));
  const t0 = performance.now();
  const ws = buildWorkspace({ root: bench.tmp, count: P.workspace, sources, typing: subject, cliJs: bench.cliJs });
  const madeMs = performance.now() - t0;
  const timeoutMs = quick ? 60000 : 180000;
  const start = () => workspaceServer(bench);
  const scan = await measureScan(start, ws, timeoutMs);
  const typing = await measureTyping(start, ws, completionPositions, timeoutMs);
  rmSync(ws.dir, { recursive: true, force: true });
  const made =
    `${ws.layout.trussConfigs} Truss configs, copies of ${ws.layout.distinctSources} ` +
    `${inputs.haveCorpus ? 'corpus' : 'synthetic'} configs`;
  const seconds = round((performance.now() - t0) / 1000, 1);
  report.details.workspace = { seconds, made, layout: ws.layout, ...workspaceDetails(ws, madeMs, scan, typing) };
  report.note(
    `workspace: ${made} (${ws.layout.otherYaml} other YAML files beside them), written in ` +
      `${round(madeMs / 1000, 1)} s; the scan's peak RSS sampled every 50 ms: ` +
      `${inMB(scan.rssPeakSampled)} MB; ` +
      `the workspace rows took ${seconds} s`,
  );
  scanRows(bench, ws, scan);
  typingRows(bench, completionPositions.length, typing);
}

/**
 * The workspace's details for --json: what was expected, the scan's figures in ms and MB, the typing's.
 * @param {Workspace} ws
 * @param {number} madeMs
 * @param {Scan} scan
 * @param {Typing} typing
 */
function workspaceDetails(ws, madeMs, scan, typing) {
  const rounded = (/** @type {Record<string, number | undefined>} */ o) =>
    Object.fromEntries(Object.entries(o).map(([a, b]) => [a, round(b, 3)]));
  return {
    expected: ws.expected,
    writeMs: round(madeMs, 0),
    scan: {
      ...scan,
      ms: round(scan.ms, 1),
      fromInitializedMs: round(scan.fromInitializedMs, 1),
      rssEndMB: inMB(scan.rssEnd),
      rssPeakMB: inMB(scan.rssPeak),
      rssPeakSampledMB: inMB(scan.rssPeakSampled),
      rescan: { ...scan.rescan, ms: round(scan.rescan.ms, 1), rssPeakMB: inMB(scan.rescan.rssPeak) },
    },
    typing: Object.fromEntries(
      Object.entries(typing).map(([k, v]) => [k, typeof v === 'object' ? rounded(v) : round(v, 3)]),
    ),
  };
}

/**
 * @param {Layout} l
 */
const scanSection = (l) =>
  `Workspace scan: ${l.trussConfigs.toLocaleString('en-US')} configs in nested folders ` +
  `(${l.planted} with a planted problem), ${l.notTruss} non-Truss config.yaml, ` +
  `${l.skippedFolders} configs in node_modules/.venv`;

/**
 * The scan's time, memory and what a scan by request finds.
 * @param {Bench} bench
 * @param {Workspace} ws
 * @param {Scan} scan
 */
function scanRows({ report }, ws, scan) {
  const section = scanSection(ws.layout);
  report.row(section, 'spawn → diagnostics of the last config', scan.ms, undefined, targets.scan(scan.ms));
  const perMB = (/** @type {number | undefined} */ b) => (b === undefined ? undefined : b / MB);
  report.row(section, 'server RSS at the end of the scan', perMB(scan.rssEnd), undefined, {
    unit: 'MB',
    ...targets.scanMemory(scan.rssEnd),
  });
  report.row(section, 'server peak RSS during the scan (VmHWM)', perMB(scan.rssPeak), undefined, {
    unit: 'MB',
    ...targets.scanMemory(scan.rssPeak),
  });
  const r = scan.rescan;
  const e = ws.expected;
  report.row(
    section,
    `scan again by request: ${r.configs}/${e.configs} configs, ${r.withProblems}/${e.withProblems} ` +
      `with problems, ${scan.unexpected.length} skipped file(s) with diagnostics`,
    r.ms,
    undefined,
    targets.scanFinds(r.configs === e.configs && r.withProblems === e.withProblems && scan.unexpected.length === 0),
  );
}

/**
 * Completion and edits while the workspace is scanned.
 * @param {Bench} bench
 * @param {number} positions
 * @param {Typing} typing
 */
function typingRows({ report }, positions, typing) {
  const section = 'Typing during the workspace scan, p50 (p95)';
  const c = typing.completion;
  report.row(
    section,
    `completion (${positions} positions, ${c.n} requests)`,
    c.p50,
    undefined,
    targets.typingCompletion(c.p50),
  ).p95 = { ours: round(typing.completionP95) };
  report.row(section, `edit → diagnostics (${typing.edit.n} edits)`, typing.edit.p50, undefined, {
    info: 'info',
  }).p95 = { ours: round(typing.editP95) };
  report.row(section, 'completion after the scan (same server)', typing.idleCompletion.p50, undefined, {
    info: 'info',
  });
  report.row(section, 'spawn → diagnostics of the last config, while typing', typing.scanMs, undefined, {
    info: 'info',
  });
}
