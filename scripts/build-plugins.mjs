// @ts-check
// esbuild plugins for scripts/build.mjs.
import { build } from 'esbuild';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** @import { Plugin } from 'esbuild' */

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

/** @type {Promise<string> | undefined} */
let validatorSource; // generated once per build process

/** The validator's code: schemaCompile.ts bundled and run. */
async function generateValidator() {
  const out = await build({
    entryPoints: [resolve(root, 'server/src/core/truss/schemaCompile.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    logLevel: 'silent',
  });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', out.outputFiles[0].text)(
    module,
    module.exports,
    createRequire(import.meta.url),
  );
  return /** @type {typeof import('../server/src/core/truss/schemaCompile.ts')} */ (module.exports).validatorSource();
}

/**
 * Resolves `truss-config:schema-validator` to the code ajv generates for the Truss schema
 * (server/src/core/truss/schemaCompile.ts): the bundles load a compiled validator instead of
 * compiling the schema at start-up, and do not carry ajv's compiler.
 * @type {Plugin}
 */
export const schemaValidator = {
  name: 'schema-validator',
  setup(b) {
    b.onResolve({ filter: /^truss-config:schema-validator$/ }, (args) => ({
      path: args.path,
      namespace: 'schema-validator',
    }));
    b.onLoad({ filter: /.*/, namespace: 'schema-validator' }, async () => {
      validatorSource ??= generateValidator();
      return {
        contents: await validatorSource,
        loader: 'js',
        resolveDir: root, // for the ajv runtime helpers the generated code requires
        watchFiles: [
          resolve(root, 'schemas/truss-config.schema.json'),
          resolve(root, 'server/src/core/truss/schemaCompile.ts'),
        ],
      };
    });
  },
};

/**
 * Bundles `yaml`'s ES module build instead of its CommonJS one (what node's `require` gets). Through
 * the CommonJS build every call into `yaml` (`isMap`, `isScalar`, …) is a property getter, and its
 * parser reads `process.env.LOG_TOKENS` for every token: a call into the C++ environment. The ES
 * build is the same code without that debug check, and esbuild links its functions directly.
 * @type {Plugin}
 */
export const yamlModule = {
  name: 'yaml-module',
  setup(b) {
    const yamlDir = dirname(createRequire(import.meta.url).resolve('yaml/package.json'));
    const entry = join(yamlDir, 'browser', 'dist', 'index.js');
    if (!existsSync(entry))
      throw new Error(`yaml's ES module build is not at ${entry}: update scripts/build-plugins.mjs`);
    b.onResolve({ filter: /^yaml$/ }, () => ({ path: entry }));
  },
};

/**
 * What the first diagnostics do not need, loaded on first use (see `lazyPackages`): the Python parser, and
 * node's modules for processes (the opt-in truss run), sockets and pipes (the other transports) and
 * crypto (vscode-jsonrpc's pipe names), which node compiles when first required.
 */
export const LAZY_PACKAGES = ['@lezer/python', 'node:child_process', 'child_process', 'net', 'crypto', 'node:v8'];

/**
 * Loads the modules of LAZY_PACKAGES on first use: an import of one gets an object whose properties
 * (its exports, listed at build time) require the module when first read. esbuild then wraps a package
 * in a function run on that first read, so a server that never reads Python neither runs its code nor
 * builds its tables (`@lezer/python`'s parser: 5 MB of RSS at start-up).
 * @type {Plugin}
 */
export const lazyPackages = {
  name: 'lazy-packages',
  setup(b) {
    const filter = new RegExp(`^(${LAZY_PACKAGES.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`);
    b.onResolve({ filter }, (args) =>
      args.namespace === 'lazy-package' ? undefined : { path: args.path, namespace: 'lazy-package' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-package' }, (args) => {
      const names = Object.keys(createRequire(import.meta.url)(args.path));
      const getters = names.map((n) => `  get ${JSON.stringify(n)}() { return load()[${JSON.stringify(n)}]; },`);
      return {
        contents: [
          'let loaded;',
          `const load = () => (loaded ??= require(${JSON.stringify(args.path)}));`,
          'module.exports = {',
          ...getters,
          '};',
        ].join('\n'),
        loader: 'js',
        resolveDir: root,
      };
    });
  },
};

/**
 * A Python script of ours (`server/src/trussRun/*.py`) imported as its text: the program runs it with
 * `python -c`, so it ships inside the bundle.
 * @type {import('esbuild').Plugin}
 */
export const pythonText = {
  name: 'python-text',
  setup(b) {
    b.onLoad({ filter: /\.py$/ }, (args) => ({ contents: readFileSync(args.path, 'utf8'), loader: 'text' }));
  },
};

/**
 * Bundles a TypeScript module of this repository (with the plugins above) into a file of its own under
 * out/, loads it and deletes the file: how scripts/generate.mjs and scripts/annotate.mjs run TypeScript.
 * The caller says what it exports (`typeof import('…ts')`).
 * @param {string} entry
 * @returns {Promise<unknown>}
 */
export async function loadTs(entry) {
  const outfile = resolve(root, 'out', 'scripts', `${entry.replace(/\W+/g, '-')}-${process.pid}.js`);
  await build({
    entryPoints: [resolve(root, entry)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile,
    logLevel: 'warning',
    plugins: [schemaValidator, yamlModule, pythonText, lazyPackages],
  });
  try {
    return createRequire(import.meta.url)(outfile);
  } finally {
    rmSync(outfile, { force: true });
  }
}
