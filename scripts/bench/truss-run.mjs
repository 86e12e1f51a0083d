// @ts-check
// Which truss, and asking it: finding the installed truss for a config's folder (file reads only; against
// reading one METADATA file), and the opt-in truss run on a real config: the first answer of a worker (its
// start and truss's import), the next ones, and a process per request as the checker runs it, each against
// Python's bare start (`python3 -c pass`). The environment is made from truss's own model at the newest
// release (test/trussEnvs.ts); without ../shared or python3 with pydantic, the rows say so.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadTs } from '../build-plugins.mjs';
import { summary } from './stats.mjs';
/** @import { Bench } from './context.mjs' */
/** @import { Subject } from './subjects.mjs' */

const SECTION = 'Which truss, and asking it (opt in), p50';

/**
 * @param {Bench} bench
 * @param {Subject} subject a real config
 */
export async function trussRunRows({ quick, report }, subject) {
  const envs = /** @type {typeof import('../../test/trussEnvs.ts')} */ (await loadTs('test/trussEnvs.ts'));
  const why = envs.cannotMakeEnvs();
  if (why) {
    report.row(SECTION, `not measured: ${why}`, undefined, undefined);
    return;
  }
  const { findTruss } = /** @type {typeof import('../../server/src/environment/truss.ts')} */ (
    await loadTs('server/src/environment/truss.ts')
  );
  const { TrussWorker, askOnce } = /** @type {typeof import('../../server/src/trussRun/worker.ts')} */ (
    await loadTs('server/src/trussRun/worker.ts')
  );
  const python = envs.trussEnv('0.18.26');
  const runs = quick ? 5 : 20;
  const time = (/** @type {() => unknown} */ f, n = runs) => {
    const samples = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      f();
      samples.push(performance.now() - t0);
    }
    return summary(samples).p50;
  };

  // Detection: the interpreter's environment, as the editor finds it for a folder.
  const found = findTruss({ folder: dirname(subject.file), python });
  if (!found?.site) throw new Error('bench: the truss environment was not found');
  const metadata = join(found.site, `truss-${found.version}.dist-info`, 'METADATA');
  const detect = time(() => findTruss({ folder: dirname(subject.file), python }), runs * 10);
  const readOne = time(() => readFileSync(metadata, 'utf8'), runs * 10);
  report.row(SECTION, `finding the installed truss (truss ${found.version}, interpreter)`, detect, undefined, {
    floor: readOne,
    info: `${Math.round(detect / readOne)}× reading its METADATA file`,
  });

  const bare = time(() => spawnSync(python, ['-c', 'pass']), quick ? 3 : 10);
  const asks = quick ? 5 : 20;
  const firsts = [];
  const next = [];
  for (let round = 0; round < (quick ? 1 : 3); round++) {
    const worker = new TrussWorker(python);
    try {
      let t0 = performance.now();
      const r = await worker.ask(subject.text);
      if (!('answer' in r)) throw new Error(`bench: truss was not asked: ${r.failed}`);
      firsts.push(performance.now() - t0);
      for (let i = 0; i < asks; i++) {
        t0 = performance.now();
        await worker.ask(`${subject.text}\n# ${i}\n`);
        next.push(performance.now() - t0);
      }
    } finally {
      worker.stop();
    }
  }
  const first = summary(firsts).p50;
  const again = summary(next).p50;
  const label = `${subject.label}`;
  report.row(SECTION, `truss run, worker's first answer (start + import), ${label}`, first, undefined, {
    floor: bare,
    info: `${(first / bare).toFixed(1)}× python3 -c pass`,
  });
  report.row(SECTION, `truss run, worker's next answers, ${label}`, again, undefined, {
    floor: bare,
    info: `${(again / bare).toFixed(2)}× python3 -c pass`,
  });
  const once = time(() => askOnce(python, subject.text), quick ? 3 : 8);
  report.row(SECTION, `truss run, a process of its own (--with-truss, one file), ${label}`, once, undefined, {
    floor: bare,
    info: `${(once / bare).toFixed(1)}× python3 -c pass; ${(once / again).toFixed(0)}× the worker's next answer`,
  });
}
