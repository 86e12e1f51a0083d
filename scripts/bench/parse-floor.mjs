// @ts-check
// The floor of an edit → diagnostics series: the same texts, in the same order and rhythm, only parsed
// (ParsedDocument, from a bundle of server/src/core/yaml/parse.ts), each version from the one before as the
// server parses it (ParsedDocument.after), in a process started with the server's flags.
//
//   node [flags] parse-floor.mjs PARSE_BUNDLE SERIES_JSON
//
// SERIES_JSON: { gapMs, series: [{ id, kind, text, line, warmup, count }] } (edit-kinds.mjs). Prints
// { id: { step: p50 ms } }.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { seriesVersions } from './edit-kinds.mjs';
import { median } from './stats.mjs';
/** @import { SeriesSpec } from './edit-kinds.mjs' */

/** @typedef {{ gapMs: number, series: (SeriesSpec & { id: string })[] }} FloorInput */

const [bundle, input] = process.argv.slice(2);
/** @type {typeof import('../../server/src/core/yaml/parse.ts')} */
const { ParsedDocument } = createRequire(import.meta.url)(bundle);
/** @type {FloorInput} */
const { gapMs, series } = JSON.parse(readFileSync(input, 'utf8'));
const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));
/** @type {Record<string, Record<string, number | undefined>>} */
const out = {};
for (const s of series) {
  const versions = seriesVersions(s);
  /** @type {Record<string, number[]>} */
  const samples = {};
  let parsed = new ParsedDocument(s.text);
  for (let i = 1; i <= s.warmup + s.count; i++) {
    await sleep(gapMs);
    const text = versions.text(i);
    const t0 = performance.now();
    parsed = ParsedDocument.after(parsed, text);
    if (i > s.warmup) (samples[versions.step(i)] ??= []).push(performance.now() - t0);
  }
  out[s.id] = Object.fromEntries(Object.entries(samples).map(([step, xs]) => [step, median(xs)]));
}
console.log(JSON.stringify(out));
