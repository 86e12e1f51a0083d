// @ts-check
// The checker (the shipped cli.js) over the corpus, one process: wall time and files per second, against
// node's bare start-up.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { bareStart } from './floors.mjs';
import { MB, round, summary } from './stats.mjs';
import { corpusFiles } from './subjects.mjs';
import * as targets from './targets.mjs';
/** @import { Bench } from './context.mjs' */

const SECTION = 'Checker (dist/cli.js)';

/**
 * @param {Bench} bench
 * @param {string[]} files
 */
function checkerRun({ P, cliJs }, files) {
  const samples = [];
  let status;
  for (let i = 0; i < P.checkerRuns; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [cliJs, '--format', 'json', '--detect', 'always', ...files], {
      encoding: 'utf8',
      maxBuffer: 512 * MB,
      timeout: 60000,
    });
    samples.push(performance.now() - t0);
    status = r.status;
    if (r.status === 2 || r.status === null)
      throw new Error(`the checker failed (status ${r.status}): ${String(r.stderr).split('\n')[0]}`);
  }
  return { ...summary(samples), samples: samples.map((x) => round(x, 1)), status };
}

/**
 * @param {Bench} bench
 */
export function checkerRows(bench) {
  const { P, inputs, report } = bench;
  if (!inputs.haveCorpus) {
    report.row(SECTION, 'corpus absent: not measured', undefined, undefined, targets.checker(undefined));
    return;
  }
  const files = corpusFiles(inputs);
  const c = checkerRun(bench, files);
  const nodeStart = bareStart(P.starts);
  report.details.checker = { files: files.length, ...c, nodeBareStart: nodeStart };
  report.row(SECTION, `${files.length} corpus files, wall time (median of ${c.n})`, c.p50, undefined, {
    ...targets.checker(c.p50),
    floor: nodeStart,
  });
  const rate = files.length / (c.p50 / 1000);
  report.row(SECTION, 'files per second', rate, undefined, { unit: 'files/s', ...targets.checkerRate(rate) });
}
