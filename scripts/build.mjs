// Bundles the client, server and checker into dist/ (--outdir=DIR: into DIR); with --tests, the test files
// into out/test/; with --e2e, the editor tests (test/e2e) into out/e2e/.
import { build } from 'esbuild';
import { chmodSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { schemaValidator, yamlWithoutDebugEnv } from './build-plugins.mjs';

const production = process.argv.includes('--production');
const tests = process.argv.includes('--tests');
const e2e = process.argv.includes('--e2e');
const outdir = process.argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'dist';
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  plugins: [schemaValidator, yamlWithoutDebugEnv],
};

await build({
  ...common,
  entryPoints: {
    extension: 'client/src/extension.ts',
    server: 'server/src/server.ts',
    cli: 'server/src/cli.ts',
  },
  outdir,
  external: ['vscode'],
});

if (tests) {
  rmSync('out/test', { recursive: true, force: true });
  const entries = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (p !== join('test', 'e2e')) walk(p); // the editor tests run inside VS Code, not node --test
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
