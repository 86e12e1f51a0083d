// @ts-check
// Cold start: spawn → the first publishDiagnostics of a config opened at once, against node's bare start-up
// measured in turn with ours (a run of each, one after the other), so that both see the same load.
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
 * @returns {Promise<Summary & { samples: number[] }>}
 */
async function startToFirst(bench, kind, subject, runs, bare) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    bare?.push(bareStart(1));
    const s = startServer(bench, kind);
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
  for (const kind of bench.kinds)
    start[kind] = await startToFirst(
      bench,
      kind,
      subject,
      kind === OURS ? P.starts : P.ylsStarts,
      kind === OURS ? bare : undefined,
    );
  const ours = start[OURS];
  if (!ours) throw new Error('our server was not measured');
  const nodeStart = summary(bare).p50;
  report.details.start = { ...start, nodeBareStart: nodeStart, nodeBareStarts: bare.map((x) => round(x, 1)) };
  report.row(
    'Start → first diagnostics, p50',
    `spawn to first publishDiagnostics (${subject.label.replace(/^real: /, '')}): ${round(ours.p50 / nodeStart, 2)}× node's bare start`,
    ours.p50,
    start[YLS]?.p50,
    { ...targets.start(ours.p50, nodeStart), floor: nodeStart },
  );
}
