// @ts-check
// Cold start: spawn → the first publishDiagnostics of a config opened at once, against node's bare start-up.
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
 * @returns {Promise<Summary & { samples: number[] }>}
 */
async function startToFirst(bench, kind, subject, runs) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
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
  for (const kind of bench.kinds)
    start[kind] = await startToFirst(bench, kind, subject, kind === OURS ? P.starts : P.ylsStarts);
  const ours = start[OURS];
  if (!ours) throw new Error('our server was not measured');
  const nodeStart = bareStart(P.starts);
  report.details.start = { ...start, nodeBareStart: nodeStart };
  report.row(
    'Start → first diagnostics, p50',
    `spawn to first publishDiagnostics (${subject.label.replace(/^real: /, '')})`,
    ours.p50,
    start[YLS]?.p50,
    { ...targets.start(ours.p50), floor: nodeStart },
  );
}
