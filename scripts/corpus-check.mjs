// Checks every config in the corpus and compares with truss's own verdicts:
// a file truss accepts must get no error from us; a file it rejects should get one.
// Usage: node scripts/corpus-check.mjs [corpus folder]   (default ../shared/corpus)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const corpus = resolve(process.argv[2] ?? '../shared/corpus');
const verdictsFile = join(corpus, 'truss-verdicts.jsonl');
if (!existsSync(verdictsFile)) {
  console.error(`corpus-check: no ${verdictsFile}`);
  process.exit(2);
}
const verdicts = readFileSync(verdictsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
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
const byFile = new Map(JSON.parse(run.stdout).map((r) => [r.file, r.diagnostics]));

let falseErrors = 0;
let flagged = 0;
const accepted = verdicts.filter((v) => v.truss_load_ok && v.truss_push_ok);
const rejected = verdicts.filter((v) => !(v.truss_load_ok && v.truss_push_ok));
for (const v of accepted) {
  const errors = (byFile.get(join(corpus, v.file)) ?? []).filter((d) => d.severity === 'error');
  if (errors.length) {
    falseErrors++;
    for (const d of errors) console.log(`FALSE ERROR ${v.file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`);
  }
}
for (const v of rejected) {
  const errors = (byFile.get(join(corpus, v.file)) ?? []).filter((d) => d.severity === 'error');
  if (errors.length) flagged++;
  else console.log(`not flagged (truss rejects it): ${v.file}: ${String(v.errors[0]).slice(0, 160)}`);
}
const counts = {};
for (const diags of byFile.values()) for (const d of diags) counts[`${d.severity} ${d.code}`] = (counts[`${d.severity} ${d.code}`] ?? 0) + 1;
console.log(`findings by code: ${JSON.stringify(counts)}`);
console.log(`checked ${files.length} files in ${ms.toFixed(0)} ms`);
console.log(`accepted by truss: ${accepted.length} files, ${falseErrors} with an error from us`);
console.log(`rejected by truss: ${rejected.length} files, ${flagged} flagged with an error`);
process.exit(falseErrors ? 1 : 0);
