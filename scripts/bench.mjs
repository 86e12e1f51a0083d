// @ts-check
// Benchmark: our language server and checker side by side with yaml-language-server
// (configured with truss's published schema), in one run, on the same machine.
//
//   npm run bench [-- --json] [-- --quick] [-- --only=SECTION,…]
//
// --json   print the results as JSON instead of a table
// --only   measure these sections only: edits, start, features, model-code, truss-run, memory,
//          workspace, behaviour, checker, package
// --quick  a smoke run for CI (fewer edits and repetitions; no 10,000-line series for
//          yaml-language-server; a workspace of 200 configs instead of 2,000); about two
//          minutes, stopped at three
//
// It builds what ships (`scripts/build.mjs --production`) into its temporary folder and starts the
// server as the client does, with SERVER_NODE_FLAGS (protocol/protocol.ts). Each row shows the floor it
// is measured against: an empty JSON-RPC round trip, a parse of the same text and no more, node's bare
// start-up, the idle server's memory. The corpus and the reference schema are looked up in ../shared
// beside the repository; without them those parts are skipped. One module of scripts/bench/ per measure.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { behaviourRows } from './bench/behaviour.mjs';
import { checkerRows } from './bench/checker.mjs';
import { buildShipped, findInputs, params } from './bench/context.mjs';
import { editRows } from './bench/edits.mjs';
import { featureRows } from './bench/features.mjs';
import { killAll } from './bench/lsp.mjs';
import { memoryRows } from './bench/memory.mjs';
import { modelCodeRows } from './bench/model-code.mjs';
import { packageRow } from './bench/package.mjs';
import { Report, printReport } from './bench/report.mjs';
import { OURS, sanityCheck } from './bench/servers.mjs';
import { startRows } from './bench/start.mjs';
import { realConfigs, syntheticConfigs } from './bench/subjects.mjs';
import { trussRunRows } from './bench/truss-run.mjs';
import { workspaceRows } from './bench/workspace.mjs';
import { YLS } from './bench/yls.mjs';
/** @import { Bench } from './bench/context.mjs' */

const SECTIONS = [
  ...['edits', 'start', 'features', 'model-code', 'truss-run'],
  ...['memory', 'workspace', 'behaviour', 'checker', 'package'],
];
const argv = process.argv.slice(2);
const onlyArg = argv.find((a) => a.startsWith('--only='));
const only = onlyArg?.slice('--only='.length).split(',');
for (const a of argv) {
  if (!['--json', '--quick'].includes(a) && a !== onlyArg) {
    console.error(`bench: unknown option ${a} (use --json, --quick, --only=SECTION,…)`);
    process.exit(2);
  }
}
for (const name of only ?? []) {
  if (!SECTIONS.includes(name)) {
    console.error(`bench: no section ${name} (the sections: ${SECTIONS.join(', ')})`);
    process.exit(2);
  }
}
/** @param {string} name */
const measured = (name) => !only || only.includes(name);
const quick = argv.includes('--quick');
const run = { quick, json: argv.includes('--json'), P: params(quick) };

const report = new Report();
const inputs = await findInputs(report);
const tmp = mkdtempSync(join(tmpdir(), 'truss-bench-'));
const print = () => printReport(report, { ...run, inputs });

// Safety nets: no server or temporary folder is left behind, and the run ends in time.
const cleanup = () => {
  killAll();
  rmSync(tmp, { recursive: true, force: true });
};
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    cleanup();
    process.exit(130);
  });
}
const watchdog = setTimeout(() => {
  report.note(`stopped by the ${run.P.watchdogMs / 1000} s watchdog: the rows below are what was measured until then`);
  print();
  cleanup();
  process.exit(3);
}, run.P.watchdogMs);
watchdog.unref();

/** The sections, in order: each adds its rows to the report. */
async function sections() {
  /** @type {Bench} */
  const bench = {
    quick,
    P: run.P,
    inputs,
    report,
    tmp,
    codeCache: join(tmp, 'code-cache'),
    ...buildShipped(inputs.repoRoot, tmp),
    kinds: inputs.withYls ? [OURS, YLS] : [OURS],
  };
  const real = realConfigs(inputs);
  const synthetic = syntheticConfigs(tmp);
  await sanityCheck(bench);
  if (measured('edits')) await editRows(bench, real, synthetic);
  if (measured('start')) await startRows(bench, real[0]);
  const positions = measured('features') || measured('workspace') ? await featureRows(bench, real[0]) : undefined;
  if (measured('model-code')) await modelCodeRows(bench);
  if (measured('truss-run')) await trussRunRows(bench, real[0]);
  if (measured('memory')) await memoryRows(bench);
  if (positions && measured('workspace')) await workspaceRows(bench, real[0], positions.completion);
  if (measured('behaviour')) await behaviourRows(bench, synthetic[1]);
  if (measured('checker')) checkerRows(bench);
  if (measured('package')) packageRow(bench);
}

sections()
  .then(() => {
    clearTimeout(watchdog);
    print();
    cleanup();
    process.exit(0);
  })
  .catch((e) => {
    report.note(`failed: ${e instanceof Error ? e.message : String(e)}`);
    print();
    cleanup();
    process.exit(1);
  });
