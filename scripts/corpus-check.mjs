// @ts-check
// Checks every config in the corpus and compares with truss's own verdicts:
// a file truss accepts must get no error from us; a file it rejects must get one,
// on the lines of the node truss's message names. Exits 1 otherwise.
// Usage: node scripts/corpus-check.mjs [corpus folder]   (default ../shared/corpus)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
/** @typedef {import('../server/src/cli/formats.ts').JsonResult} JsonResult */

/**
 * A line of truss-verdicts.jsonl: whether truss loads and pushes the file, and its errors.
 * @typedef {{ file: string, truss_load_ok: boolean, truss_push_ok: boolean, errors: unknown[] }} Verdict
 */

const corpus = resolve(process.argv[2] ?? '../shared/corpus');
const verdictsFile = join(corpus, 'truss-verdicts.jsonl');
if (!existsSync(verdictsFile)) {
  console.error(`corpus-check: no ${verdictsFile}`);
  process.exit(2);
}
/** @type {Verdict[]} */
const verdicts = readFileSync(verdictsFile, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l));
const files = verdicts.map((v) => join(corpus, v.file));
const started = process.hrtime.bigint();
const run = spawnSync(process.execPath, ['dist/cli.js', '--format', 'json', '--detect', 'always', ...files], {
  encoding: 'utf8',
  maxBuffer: 256 * 1024 * 1024,
});
const ms = Number(process.hrtime.bigint() - started) / 1e6;
if (run.status === 2 || run.status === null) {
  console.error(`corpus-check: the checker failed: ${run.stderr.split('\n')[0]}`);
  process.exit(2);
}
/** @type {JsonResult[]} */
const results = JSON.parse(run.stdout);
const byFile = new Map(results.map((r) => [r.file, r.diagnostics]));

let falseErrors = 0;
let flagged = 0;
const accepted = verdicts.filter((v) => v.truss_load_ok && v.truss_push_ok);
const rejected = verdicts.filter((v) => !(v.truss_load_ok && v.truss_push_ok));
for (const v of accepted) {
  const errors = (byFile.get(join(corpus, v.file)) ?? []).filter((d) => d.severity === 'error');
  if (errors.length) {
    falseErrors++;
    for (const d of errors)
      console.log(
        `FALSE ERROR ${v.file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`,
      );
  }
}
let placed = 0;
for (const v of rejected) {
  const file = join(corpus, v.file);
  const errors = (byFile.get(file) ?? []).filter((d) => d.severity === 'error');
  if (!errors.length) {
    console.log(`not flagged (truss rejects it): ${v.file}: ${String(v.errors[0]).slice(0, 160)}`);
    continue;
  }
  flagged++;
  const lines = trussLines(readFileSync(file, 'utf8'), String(v.errors[0]));
  if (!lines || errors.some((d) => d.range.start.line >= lines[0] && d.range.start.line <= lines[1])) placed++;
  else
    console.log(
      `flagged elsewhere than truss says: ${v.file}: lines ${lines[0] + 1}-${lines[1] + 1}, ours ` +
        `${errors.map((d) => d.range.start.line + 1)}`,
    );
}

/**
 * The 0-based lines of the node truss's first error names (`for TrussConfig a.1.b`, plus an extra field).
 * @param {string} text
 * @param {string} message
 */
function trussLines(text, message) {
  const m = /for TrussConfig\s+(\S+)/.exec(message);
  if (!m) return undefined;
  const path = m[1].split('.').filter((s, i, all) => !(all[i - 1] === 'trt_llm' && /^v\d$/.test(s)));
  const extra = /Extra fields not allowed: \[([^\]]+)\]/.exec(message);
  if (extra) path.push(extra[1].split(',')[0].trim().replace(/^'|'$/g, ''));
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, version: '1.1', uniqueKeys: false });
  let node = doc.contents;
  /** @type {number[] | undefined} */
  let span = node?.range;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === seg);
      if (!pair) break;
      span = [pair.key.range[0], pair.value?.range?.[1] ?? pair.key.range[1]];
      node = pair.value;
    } else if (isSeq(node) && node.items[Number(seg)]) {
      node = node.items[Number(seg)];
      span = node.range;
    } else break;
  }
  return span ? [lc.linePos(span[0]).line - 1, lc.linePos(Math.max(span[0], span[1] - 1)).line - 1] : undefined;
}
/** @type {Record<string, number>} */
const counts = {};
for (const diags of byFile.values())
  for (const d of diags) counts[`${d.severity} ${d.code}`] = (counts[`${d.severity} ${d.code}`] ?? 0) + 1;
console.log(`findings by code: ${JSON.stringify(counts)}`);
console.log(`checked ${files.length} files in ${ms.toFixed(0)} ms`);
console.log(`accepted by truss: ${accepted.length} files, ${falseErrors} with an error from us`);
console.log(
  `rejected by truss: ${rejected.length} files, ${flagged} flagged with an error, ${placed} at the place truss names`,
);
process.exit(falseErrors || flagged < rejected.length || placed < rejected.length ? 1 : 0);
