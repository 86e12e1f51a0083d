// @ts-check
// Runs some test files without touching out/test: node scripts/test-some.mjs test/rules.test.ts [more…]
// Each run bundles into its own folder under out/, so several can run at once. LSP tests need
// dist/server.js (npm run build).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { lazyPackages, pythonText, schemaValidator, yamlModule } from './build-plugins.mjs';

const root = resolve(import.meta.dirname, '..');
const files = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const extra = process.argv.slice(2).filter((a) => a.startsWith('--'));
if (!files.length) {
  console.error('usage: node scripts/test-some.mjs TEST_FILE.ts… [--test-name-pattern=…]');
  process.exit(2);
}
const outdir = join(root, 'out', `some-${process.pid}`, 'test');
await build({
  entryPoints: files,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  outdir,
  outbase: 'test',
  logLevel: 'warning',
  external: ['vscode'],
  plugins: [schemaValidator, yamlModule, pythonText, lazyPackages],
});
const run = spawnSync(process.execPath, ['--enable-source-maps', '--test', ...extra, outdir], { stdio: 'inherit' });
rmSync(join(root, 'out', `some-${process.pid}`), { recursive: true, force: true });
process.exit(run.status ?? 1);
