// @ts-check
// npm run docs: writes docs/rules/*.md and the README's rule table from the rule declarations.
// With --check, writes nothing and exits 1 when a file is stale. With --show RULE, writes nothing and
// prints that rule's pages and what is wrong with their examples.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTs } from './build-plugins.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { generatedDocs, codePage, docsProblems, CODES_FOR_DOCS } = /** @type {typeof import('./docs.ts')} */ (
  await loadTs('scripts/docs.ts')
);
const show = process.argv.indexOf('--show');
if (show > 0) {
  const rule = process.argv[show + 1];
  let bad = 0;
  for (const c of CODES_FOR_DOCS.values()) {
    if (c.rule !== rule) continue;
    console.log(codePage(c));
    for (const p of docsProblems(c)) {
      console.log(`PROBLEM ${c.code}: ${p}`);
      bad++;
    }
  }
  process.exit(bad ? 1 : 0);
}
const files = generatedDocs(readFileSync(join(root, 'README.md'), 'utf8'));
const check = process.argv.includes('--check');
const stale = [];
for (const [path, content] of files) {
  const file = join(root, path);
  let old = null;
  try {
    old = readFileSync(file, 'utf8');
  } catch {
    // not written yet
  }
  if (old === content) continue;
  stale.push(path);
  if (!check) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}
// Pages of codes that no longer exist.
for (const f of readdirSync(join(root, 'docs', 'rules'))) {
  const path = `docs/rules/${f}`;
  if (files.has(path)) continue;
  stale.push(path);
  if (!check) rmSync(join(root, path));
}
if (check && stale.length) {
  console.error(`stale: ${stale.join(', ')} (run npm run docs)`);
  process.exit(1);
}
console.log(check ? 'docs are up to date' : stale.length ? `wrote ${stale.join(', ')}` : 'docs are up to date');
