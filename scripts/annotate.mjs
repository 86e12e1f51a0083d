// @ts-check
// node scripts/annotate.mjs FILE.yaml…: rewrites each test case file with the findings the checker
// reports now, written under their lines (see test/annotations.ts). Review the diff before committing.
import { readFileSync, writeFileSync } from 'node:fs';
import { loadTs } from './build-plugins.mjs';

const { annotated } = /** @type {typeof import('./annotate.ts')} */ (await loadTs('scripts/annotate.ts'));
for (const file of process.argv.slice(2)) {
  const before = readFileSync(file, 'utf8');
  const after = annotated(before);
  if (after !== before) {
    writeFileSync(file, after);
    console.log(`updated ${file}`);
  }
}
