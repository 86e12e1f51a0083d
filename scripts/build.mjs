// Bundles the client, server and checker into dist/; with --tests, the test files into out/test/.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const tests = process.argv.includes('--tests');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: {
    extension: 'client/src/extension.ts',
    server: 'server/src/server.ts',
    cli: 'server/src/cli.ts',
  },
  outdir: 'dist',
  external: ['vscode'],
});

if (tests) {
  rmSync('out/test', { recursive: true, force: true });
  const entries = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.test.ts')) entries.push(p);
    }
  };
  walk('test');
  await build({ ...common, sourcemap: true, entryPoints: entries, outdir: 'out/test', outbase: 'test', external: ['vscode'] });
}
