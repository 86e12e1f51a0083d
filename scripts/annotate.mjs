// node scripts/annotate.mjs FILE.yaml…: rewrites each test case file with the findings the checker
// reports now, written under their lines (see test/annotations.ts). Review the diff before committing.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { schemaValidator, yamlWithoutDebugEnv } from './build-plugins.mjs';

const root = resolve(import.meta.dirname, '..');
const outfile = join(root, 'out', 'annotate', `annotate-${process.pid}.js`);
await build({
  entryPoints: [join(root, 'scripts', 'annotate.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile,
  logLevel: 'warning',
  plugins: [schemaValidator, yamlWithoutDebugEnv],
});
const { annotated } = createRequire(import.meta.url)(outfile);
rmSync(outfile);
for (const file of process.argv.slice(2)) {
  const before = readFileSync(file, 'utf8');
  const after = annotated(before);
  if (after !== before) {
    writeFileSync(file, after);
    console.log(`updated ${file}`);
  }
}
