// @ts-check
// The floors the rows are measured against: node's bare start-up (start-up, the checker), an empty
// JSON-RPC round trip (completion and hover; edits, with a parse of the same texts: parse-floor.mjs).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import { pythonText, schemaValidator, yamlModule } from '../build-plugins.mjs';
import { GAP_MS } from './context.mjs';
import { sleep } from './lsp.mjs';
import { MB, summary } from './stats.mjs';
/** @import { Bench } from './context.mjs' */
/** @import { LspServer } from './lsp.mjs' */
/** @import { SeriesSpec } from './edit-kinds.mjs' */

/**
 * Node's bare start-up: spawn to exit of `node -e 0`, median.
 * @param {number} runs
 */
export function bareStart(runs) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    samples.push(performance.now() - t0);
  }
  return summary(samples).p50;
}

/**
 * An empty JSON-RPC round trip in the rhythm of the edits: hover on a document that is not open; median.
 * @param {Bench} bench
 * @param {LspServer} server
 */
export async function roundTrip({ P, tmp }, server) {
  const samples = [];
  for (let i = 0; i < P.warmup + P.edits; i++) {
    await sleep(GAP_MS);
    const r = await server.request(
      'textDocument/hover',
      {
        textDocument: { uri: pathToFileURL(join(tmp, 'not-open', 'config.yaml')).href },
        position: { line: 0, character: 0 },
      },
      10000,
    );
    if (i >= P.warmup) samples.push(r.ms);
  }
  return summary(samples).p50;
}

/**
 * A parse of each series' texts and nothing else, as the edit series send them, in a process started
 * with the server's flags (parse-floor.mjs): p50 per series id and step.
 * @param {Bench} bench
 * @param {(SeriesSpec & { id: string })[]} series
 * @returns {Promise<Record<string, Record<string, number>>>}
 */
export async function parseFloor({ tmp, inputs }, series) {
  const bundle = join(tmp, 'parse-floor.cjs');
  await build({
    entryPoints: [join(inputs.repoRoot, 'server', 'src', 'core', 'yaml', 'parse.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    minify: true,
    outfile: bundle,
    logLevel: 'warning',
    plugins: [schemaValidator, yamlModule, pythonText],
  });
  const input = join(tmp, 'parse-floor.json');
  writeFileSync(input, JSON.stringify({ gapMs: GAP_MS, series }));
  const script = join(inputs.repoRoot, 'scripts', 'bench', 'parse-floor.mjs');
  const r = spawnSync(process.execPath, [...inputs.serverFlags, script, bundle, input], {
    encoding: 'utf8',
    maxBuffer: 16 * MB,
  });
  if (r.status !== 0) throw new Error(`parse floor failed: ${String(r.stderr).split('\n')[0]}`);
  return JSON.parse(r.stdout);
}
