// @ts-check
// Cold start: spawn → the first publishDiagnostics of a config opened at once, against node's bare start-up
// measured in turn with ours (a run of each, one after the other), so that both see the same load.
import { join } from 'node:path';
import { bareStart } from './floors.mjs';
import { OURS, startServer, waitMs } from './servers.mjs';
import { round, summary } from './stats.mjs';
import * as targets from './targets.mjs';
import { YLS } from './yls.mjs';
/** @import { Bench } from './context.mjs' */
/** @import { Kind } from './servers.mjs' */
/** @import { Summary } from './stats.mjs' */
/** @import { Subject } from './subjects.mjs' */

/**
 * @param {Bench} bench
 * @param {Kind} kind
 * @param {Subject} subject
 * @param {number} runs
 * @param {number[]} [bare] node's bare start-ups, one measured before each run
 * @param {boolean} [fresh] each of ours with an empty code cache folder, as the first start after an install
 * @returns {Promise<Summary & { samples: number[] }>}
 */
async function startToFirst(bench, kind, subject, runs, bare, fresh = false) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    bare?.push(bareStart(1));
    const s = startServer(bench, kind, fresh ? { codeCache: join(bench.tmp, `code-cache-fresh-${i}`) } : {});
    try {
      const first = s.waitFor((p) => p.uri === subject.uri, waitMs(kind, 100), 'first diagnostics');
      await s.initialize();
      await s.connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri: subject.uri, languageId: 'yaml', version: 1, text: subject.text },
      });
      const p = await first;
      samples.push(p.at - s.spawnedAt);
    } finally {
      await s.stop();
    }
  }
  return { ...summary(samples), samples: samples.map((x) => round(x, 1)) };
}

/**
 * @param {Bench} bench
 * @param {Subject} subject
 */
export async function startRows(bench, subject) {
  const { P, report } = bench;
  /** @type {Partial<Record<Kind, Summary & { samples: number[] }>>} */
  const start = {};
  /** @type {number[]} */
  const bare = [];
  // A run that leaves the code cache the measured starts read, as the editor's previous session does.
  await startToFirst(bench, OURS, subject, 1);
  for (const kind of bench.kinds)
    start[kind] = await startToFirst(
      bench,
      kind,
      subject,
      kind === OURS ? P.starts : P.ylsStarts,
      kind === OURS ? bare : undefined,
    );
  // The first start after an install or an update: no code cache yet.
  /** @type {number[]} */
  const bareFresh = [];
  const fresh = await startToFirst(bench, OURS, subject, P.starts, bareFresh, true);
  const ours = start[OURS];
  if (!ours) throw new Error('our server was not measured');
  const nodeStart = summary(bare).p50;
  const nodeStartFresh = summary(bareFresh).p50;
  report.details.start = {
    ...start,
    [`${OURS}, no code cache`]: fresh,
    nodeBareStart: nodeStart,
    nodeBareStarts: bare.map((x) => round(x, 1)),
    nodeBareStartsBesideNoCache: bareFresh.map((x) => round(x, 1)),
  };
  const label = subject.label.replace(/^real: /, '');
  report.row(
    'Start → first diagnostics, p50',
    `spawn to first publishDiagnostics (${label}), with the code cache of an earlier run: ` +
      `${round(ours.p50 / nodeStart, 2)}× node's bare start`,
    ours.p50,
    start[YLS]?.p50,
    { ...targets.start(ours.p50, nodeStart), floor: nodeStart },
  );
  report.row(
    'Start → first diagnostics, p50',
    `the first start after an install or update (no code cache yet): ${round(fresh.p50 / nodeStartFresh, 2)}× ` +
      `node's bare start`,
    fresh.p50,
    undefined,
    { info: 'info', floor: nodeStartFresh },
  );
}
