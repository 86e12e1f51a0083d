// @ts-check
// Bundles the client, server and checker into dist/ (--outdir=DIR: into DIR); with --tests, the test files
// into out/test/; with --e2e, the editor tests (test/e2e) into out/e2e/; with --integrations,
// test/integrations into out/integrations/. With --action, what a release commits (not on main, see
// RELEASING.md): the GitHub Action (action/index.js) and the pre-commit hook (hook/truss-config.js);
// --action --check writes nothing and exits 1 when one is stale.
import { build } from 'esbuild';
import ts from 'typescript';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { lazyPackages, loadTs, pythonText, schemaValidator, yamlModule } from './build-plugins.mjs';
/** @import { BuildOptions } from 'esbuild' */

const production = process.argv.includes('--production');
const tests = process.argv.includes('--tests');
const e2e = process.argv.includes('--e2e');
const integrations = process.argv.includes('--integrations');
const action = process.argv.includes('--action');
const check = process.argv.includes('--check');
const vsix = process.argv.includes('--vsix');
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
  plugins: [schemaValidator, yamlModule, pythonText, lazyPackages],
};

/** What a release commits (RELEASING.md): the GitHub Action and the pre-commit hook, each one file. */
const RELEASED = [
  { file: 'action/index.js', entry: 'server/src/action.ts', banner: '' },
  { file: 'hook/truss-config.js', entry: 'server/src/cli.ts', banner: '#!/usr/bin/env node' },
];
if (action) {
  let stale = false;
  for (const { file, entry, banner } of RELEASED) {
    const result = await build({
      ...common,
      entryPoints: [entry],
      sourcemap: false,
      minify: true,
      legalComments: 'none',
      write: false,
      outfile: file,
      ...(banner ? { banner: { js: banner } } : {}),
    });
    const [out] = result.outputFiles ?? [];
    if (!out) throw new Error(`esbuild returned no ${file}`);
    const text = out.text;
    const old = existsSync(file) ? readFileSync(file, 'utf8') : null;
    if (check) {
      if (old !== text) console.error(`${file} is not what the sources build: release again (RELEASING.md)`);
      stale ||= old !== text;
      continue;
    }
    mkdirSync(dirname(file), { recursive: true });
    if (old !== text) writeFileSync(file, text);
    if (banner) chmodSync(file, 0o755); // the hook runs it as a program
  }
  if (check) process.exit(stale ? 1 : 0);
}

await build({
  ...common,
  entryPoints: { extension: 'client/src/extension.ts' },
  outdir,
  external: ['vscode'],
});
// The two programs of the npm package's `bin`: a shebang, and executable. The server's starts node with
// the flags the extension gives it (SERVER_NODE_FLAGS): `env -S` splits them, and npm's Windows shims
// read them from the line too.
const { SERVER_NODE_FLAGS } = /** @type {typeof import('../protocol/protocol.ts')} */ (
  await loadTs('protocol/protocol.ts')
);
// The server's bundle, and the program that runs it with V8's code cache (server/src/boot.ts), which
// names the cache after the bundle's hash.
await build({ ...common, entryPoints: { 'language-server': 'server/src/server.ts' }, outdir });
const serverBundle = readFileSync(join(outdir, 'language-server.js'));
await build({
  ...common,
  entryPoints: { server: 'server/src/boot.ts' },
  outdir,
  sourcemap: false,
  define: { BUNDLE_HASH: JSON.stringify(createHash('sha256').update(serverBundle).digest('hex').slice(0, 16)) },
  banner: { js: `#!/usr/bin/env -S node ${SERVER_NODE_FLAGS.join(' ')}` },
});
chmodSync(join(outdir, 'server.js'), 0o755);
if (vsix) {
  // The .vsix holds what VS Code loads: the extension and the server (vsce takes the files that exist).
  for (const f of ['cli.js', 'cli.js.map', 'api.js', 'api.js.map', 'api.d.ts'])
    rmSync(join(outdir, f), { force: true });
} else {
  await build({ ...common, entryPoints: { cli: 'server/src/cli.ts' }, outdir, banner: { js: '#!/usr/bin/env node' } });
  chmodSync(join(outdir, 'cli.js'), 0o755);
  // require('truss-config') (package.json `exports`), with its types from the one file that declares them.
  await build({ ...common, entryPoints: { api: 'server/src/api.ts' }, outdir });
  const api = ts.transpileDeclaration(readFileSync('server/src/cli/api.ts', 'utf8'), {
    compilerOptions: { isolatedDeclarations: true },
    reportDiagnostics: true,
  });
  if (api.diagnostics?.length)
    throw new Error(`api.d.ts: ${ts.flattenDiagnosticMessageText(api.diagnostics[0].messageText, ' ')}`);
  writeFileSync(join(outdir, 'api.d.ts'), api.outputText);
}

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
