// @ts-check
// npm run generate: writes what is derived from the rules (the rule list, docs/rules/, the README's
// rule table, package.json's rule settings). With --check it writes nothing and exits 1 naming each
// stale or orphan file. With --show RULE it writes nothing and prints that rule's pages and what is
// wrong with their examples.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTs } from './build-plugins.mjs';
import { RULE_LIST, ruleListSource } from './rule-list.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const show = process.argv.indexOf('--show');
/** @type {string[]} */
const stale = [];

/** @param {string} path */
function read(path) {
  try {
    return readFileSync(join(root, path), 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * @param {string} path
 * @param {string} content
 */
function put(path, content) {
  if (read(path) === content) return;
  stale.push(path);
  if (check) return;
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

if (show < 0) put(RULE_LIST, ruleListSource(root)); // first: the TypeScript below loads it
const gen = /** @type {typeof import('./generate.ts')} */ (await loadTs('scripts/generate.ts'));
if (show > 0) {
  const rule = process.argv[show + 1];
  const { CODES } = /** @type {typeof import('../server/src/engine/rules.ts')} */ (
    await loadTs('server/src/engine/rules.ts')
  );
  const docs = /** @type {typeof import('./docs.ts')} */ (await loadTs('scripts/docs.ts'));
  let bad = 0;
  for (const c of CODES.values()) {
    if (c.rule !== rule) continue;
    console.log(docs.codePage(c));
    for (const p of docs.docsProblems(c)) {
      console.log(`PROBLEM ${c.code}: ${p}`);
      bad++;
    }
  }
  process.exit(bad ? 1 : 0);
}
const files = gen.generatedFiles((/** @type {string} */ p) => read(p) ?? '');
for (const [path, content] of files) put(path, content);
for (const folder of gen.GENERATED_FOLDERS) {
  for (const f of readdirSync(join(root, folder))) {
    const path = `${folder}/${f}`;
    if (files.has(path)) continue;
    stale.push(path);
    if (!check) rmSync(join(root, path));
  }
}
if (check && stale.length) {
  console.error(`stale or orphan: ${stale.join(', ')} (run npm run generate)`);
  process.exit(1);
}
console.log(stale.length ? `${check ? 'stale' : 'wrote'}: ${stale.join(', ')}` : 'generated files are up to date');
