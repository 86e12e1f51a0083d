// @ts-check
// The floor of an edit → diagnostics series: the same texts, in the same order and rhythm, only parsed
// (ParsedDocument, from a bundle of server/src/core/yaml/parse.ts), each version from the one before as the
// server parses it (ParsedDocument.after), in a process started with the server's flags.
//
//   node [flags] parse-floor.mjs PARSE_BUNDLE SUBJECTS_JSON
//
// SUBJECTS_JSON: { gapMs, warmup, edits, subjects: [{ label, text, editLine }] }. Prints { label: p50 ms }.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { median } from './stats.mjs';
import { editedText } from './synth.mjs';

/** @typedef {{ gapMs: number, warmup: number, edits: number, subjects: FloorSubject[] }} FloorInput */
/** @typedef {{ label: string, text: string, editLine: number }} FloorSubject */

const [bundle, input] = process.argv.slice(2);
/** @type {typeof import('../../server/src/core/yaml/parse.ts')} */
const { ParsedDocument } = createRequire(import.meta.url)(bundle);
/** @type {FloorInput} */
const { gapMs, warmup, edits, subjects } = JSON.parse(readFileSync(input, 'utf8'));
const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));
/** @type {Record<string, number | undefined>} */
const out = {};
for (const s of subjects) {
  const samples = [];
  let parsed = new ParsedDocument(s.text);
  for (let i = 1; i <= warmup + edits; i++) {
    await sleep(gapMs);
    const text = editedText(s.text, s.editLine, i);
    const t0 = performance.now();
    parsed = ParsedDocument.after(parsed, text);
    if (i > warmup) samples.push(performance.now() - t0);
  }
  out[s.label] = median(samples);
}
console.log(JSON.stringify(out));
