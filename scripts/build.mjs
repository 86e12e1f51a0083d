// @ts-check
// Bundles the client, server and checker into dist/ (--outdir=DIR: into DIR); with --tests, the test files
// into out/test/; with --e2e, the editor tests (test/e2e) into out/e2e/; with --integrations,
// test/integrations into out/integrations/. With --action, the GitHub Action into action/index.js
// (not on main: a release commits it, see RELEASING.md); --action --check writes nothing and exits 1
// when that file is stale.
import { build } from 'esbuild';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pythonText, schemaValidator, yamlModule } from './build-plugins.mjs';
/** @import { BuildOptions } from 'esbuild' */

const production = process.argv.includes('--production');
const tests = process.argv.includes('--tests');
const e2e = process.argv.includes('--e2e');
const integrations = process.argv.includes('--integrations');
const action = process.argv.includes('--action');
const check = process.argv.includes('--check');
const outdir = process.argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'dist';
/** @type {BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  plugins: [schemaValidator, yamlModule, pythonText],
};

if (action) {
  const result = await build({
    ...common,
    entryPoints: ['server/src/action.ts'],
    sourcemap: false,
    minify: true,
    legalComments: 'none',
    write: false,
    outfile: 'action/index.js',
  });
  const [out] = result.outputFiles ?? [];
  if (!out) throw new Error('esbuild returned no action/index.js');
  const text = out.text;
  const old = existsSync('action/index.js') ? readFileSync('action/index.js', 'utf8') : null;
  if (check) {
    if (old !== text) {
      console.error('action/index.js is not what the sources build: release again (RELEASING.md)');
      process.exit(1);
    }
    process.exit(0);
  }
  mkdirSync('action', { recursive: true });
  if (old !== text) writeFileSync('action/index.js', text);
}

await build({
  ...common,
  entryPoints: { extension: 'client/src/extension.ts' },
  outdir,
  external: ['vscode'],
});
// The two programs of the npm package's `bin`: a shebang, and executable.
await build({
  ...common,
  entryPoints: { server: 'server/src/server.ts', cli: 'server/src/cli.ts' },
  outdir,
  banner: { js: '#!/usr/bin/env node' },
});
for (const bin of ['server.js', 'cli.js']) chmodSync(join(outdir, bin), 0o755);

if (tests) {
  rmSync('out/test', { recursive: true, force: true });
  /** @type {string[]} */
  const entries = [];
  /** @param {string} dir */
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        // The editor tests run inside VS Code; the integrations (pre-commit, Neovim) by test:integrations.
        if (p !== join('test', 'e2e') && p !== join('test', 'integrations')) walk(p);
      } else if (e.name.endsWith('.test.ts')) entries.push(p);
    }
  };
  walk('test');
  await build({
    ...common,
    sourcemap: true,
    entryPoints: entries,
    outdir: 'out/test',
    outbase: 'test',
    external: ['vscode'],
  });
}

if (integrations) {
  rmSync('out/integrations', { recursive: true, force: true });
  await build({
    ...common,
    sourcemap: true,
    entryPoints: readdirSync('test/integrations')
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => join('test/integrations', f)),
    outdir: 'out/integrations',
    outbase: 'test/integrations',
  });
}

if (e2e) {
  rmSync('out/e2e', { recursive: true, force: true });
  await build({
    ...common,
    sourcemap: true,
    entryPoints: [
      'test/e2e/main.ts',
      'test/e2e/code-shim.ts',
      'test/e2e/run-suite.ts',
      'test/e2e/ui-smoke.ts',
      'test/e2e/vsix.ts',
      'test/e2e/suite/index.ts',
      'test/e2e/suite/vsix-index.ts',
      'test/e2e/suite/extension.test.ts',
      'test/e2e/suite/installed.test.ts',
    ],
    outdir: 'out/e2e',
    outbase: 'test/e2e',
    external: ['vscode'],
    packages: 'external', // mocha, playwright-core and @vscode/test-electron load from node_modules
  });
  // @vscode/test-electron spawns the shim as the VS Code executable.
  chmodSync('out/e2e/code-shim.js', 0o755);
}
