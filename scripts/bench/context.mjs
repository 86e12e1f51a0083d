// @ts-check
// What every section of the benchmark gets: the run's size (--quick or not), what was found beside the
// repository, the shipped bundles and the report.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTs } from '../build-plugins.mjs';
import { findYls } from './yls.mjs';
/** @import { Report } from './report.mjs' */
/** @import { Kind } from './servers.mjs' */
/** @import { Yls } from './yls.mjs' */

/**
 * The size of a run.
 * @typedef {object} Params
 * @property {number} edits measured edits per series
 * @property {number} warmup edits before those
 * @property {number} kindPairs measured pairs of edits per series of a kind that alternates two (edit-kinds.mjs)
 * @property {number} kindWarmupPairs pairs before those
 * @property {number} starts our server's cold starts (and node's bare ones)
 * @property {number} ylsStarts yaml-language-server's cold starts
 * @property {number} reps rounds of completion and hover requests
 * @property {number} rssPasses times the memory set is opened
 * @property {number} restMs how long the server rests, the set open, before its RSS at rest is read
 * @property {number} checkerRuns runs of the checker over the corpus
 * @property {number} seriesBudgetMs an edit series stops after this (with 5 samples at least)
 * @property {number[]} ylsSizes synthetic sizes yaml-language-server is run on
 * @property {number} workspace configs in the generated workspace
 * @property {number} workspaceSources distinct corpus configs they are copies of
 * @property {number} watchdogMs the whole run stops after this
 */

/** @type {Params} */
const QUICK = {
  edits: 10,
  warmup: 2,
  kindPairs: 2,
  kindWarmupPairs: 1,
  starts: 2,
  ylsStarts: 1,
  reps: 40,
  rssPasses: 2,
  restMs: 12000,
  checkerRuns: 1,
  seriesBudgetMs: 20000,
  ylsSizes: [100, 1000],
  workspace: 200,
  workspaceSources: 60,
  watchdogMs: 180000,
};

/** @type {Params} */
const FULL = {
  edits: 40,
  warmup: 5,
  kindPairs: 10,
  kindWarmupPairs: 2,
  starts: 5,
  ylsStarts: 3,
  reps: 100,
  rssPasses: 3,
  restMs: 15000,
  checkerRuns: 3,
  seriesBudgetMs: 120000,
  ylsSizes: [100, 1000, 10000],
  workspace: 2000,
  workspaceSources: Infinity,
  watchdogMs: 1200000,
};

/** @param {boolean} quick */
export const params = (quick) => (quick ? QUICK : FULL);

/** Idle time between two edits (not measured). */
export const GAP_MS = 10;

/**
 * What the run found beside the repository; without the corpus or the reference schema, parts are skipped.
 * @typedef {object} Inputs
 * @property {string} repoRoot
 * @property {string} shared ../shared
 * @property {string} corpusDir
 * @property {boolean} haveCorpus
 * @property {string} schemaPath truss's published schema, which yaml-language-server is given
 * @property {Yls} yls
 * @property {boolean} withYls yaml-language-server is installed and the schema is there
 * @property {boolean} canSnapshot heap snapshots on SIGUSR2 work here
 * @property {string[]} serverFlags the V8 flags the client starts the server with (SERVER_NODE_FLAGS)
 */

/**
 * @typedef {object} Bench
 * @property {boolean} quick
 * @property {Params} P
 * @property {Inputs} inputs
 * @property {Report} report
 * @property {string} tmp the temporary folder: the servers' cwd, generated files
 * @property {string} codeCache our server's code cache folder (in tmp), as the client gives it one
 * @property {string} serverJs the shipped server
 * @property {string} cliJs the shipped checker
 * @property {Kind[]} kinds the servers measured: ours, and yaml-language-server when it can run
 */

/**
 * Looks for the corpus, the reference schema and yaml-language-server; notes what is missing.
 * @param {Report} report
 * @returns {Promise<Inputs>}
 */
export async function findInputs(report) {
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const shared = resolve(repoRoot, '..', 'shared');
  const corpusDir = join(shared, 'corpus');
  const schemaPath = join(shared, 'reference', 'truss-config.schema.json');
  const { SERVER_NODE_FLAGS } = /** @type {typeof import('../../protocol/protocol.ts')} */ (
    await loadTs('protocol/protocol.ts')
  );
  const haveCorpus = existsSync(corpusDir);
  const haveSchema = existsSync(schemaPath);
  const yls = findYls(repoRoot);
  if (!haveSchema)
    report.note(`no ${relative(repoRoot, schemaPath)}: yaml-language-server is not measured (its column is left out)`);
  else if (!yls.installed) report.note('yaml-language-server is not installed (devDependency): its column is left out');
  if (!haveCorpus)
    report.note(
      `no ${relative(repoRoot, corpusDir)}: real configs are the repository's examples/, memory uses the synthetic ` +
        `set, the checker row is skipped`,
    );
  return {
    repoRoot,
    shared,
    corpusDir,
    haveCorpus,
    schemaPath,
    yls,
    withYls: haveSchema && yls.installed,
    canSnapshot: process.platform !== 'win32',
    serverFlags: SERVER_NODE_FLAGS,
  };
}

/**
 * Builds what ships (the bundles `npm run package` builds) into `tmp/dist`.
 * @param {string} repoRoot
 * @param {string} tmp
 */
export function buildShipped(repoRoot, tmp) {
  const shipped = join(tmp, 'dist');
  const b = spawnSync(
    process.execPath,
    [join(repoRoot, 'scripts', 'build.mjs'), '--production', `--outdir=${shipped}`],
    {
      cwd: repoRoot,
      encoding: 'utf8',
    },
  );
  if (b.status !== 0) throw new Error(`the build failed: ${String(b.stderr).split('\n')[0]}`);
  return { serverJs: join(shipped, 'server.js'), cliJs: join(shipped, 'cli.js') };
}
