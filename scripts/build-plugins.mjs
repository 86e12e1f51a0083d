// esbuild plugins for scripts/build.mjs.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

let validatorSource; // generated once per build process

async function generateValidator() {
  const out = await build({
    entryPoints: [resolve(root, 'server/src/core/schemaCompile.ts')],
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
  return module.exports.validatorSource();
}

/**
 * Resolves `truss-config:schema-validator` to the code ajv generates for the Truss schema
 * (server/src/core/schemaCompile.ts): the bundles load a compiled validator instead of
 * compiling the schema at start-up, and do not carry ajv's compiler.
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
          resolve(root, 'server/src/core/schemaCompile.ts'),
        ],
      };
    });
  },
};

/**
 * `yaml`'s parser and composer read `process.env.LOG_TOKENS` / `LOG_STREAM` (debug logging)
 * for every token. A `process.env` read is a call into the C++ environment, and on a
 * 10,000-line file these reads are a fifth of the parse. The bundles read them as false.
 */
export const yamlWithoutDebugEnv = {
  name: 'yaml-without-debug-env',
  setup(b) {
    const files = /[\\/]node_modules[\\/]yaml[\\/]dist[\\/](parse[\\/]parser|compose[\\/]composer)\.js$/;
    b.onLoad({ filter: files }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const contents = source.replace(/\bnode_process\.env\.LOG_(TOKENS|STREAM)\b/g, 'false');
      const warnings =
        contents === source
          ? [{ text: `no process.env debug check found in ${args.path}: update scripts/build-plugins.mjs` }]
          : [];
      return { contents, loader: 'js', warnings };
    });
  },
};

/**
 * Bundles a TypeScript module of this repository (with the plugins above) into a file of its own under
 * out/, loads it and deletes the file: how scripts/docs.mjs and scripts/annotate.mjs run TypeScript.
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
    plugins: [schemaValidator, yamlWithoutDebugEnv],
  });
  try {
    return createRequire(import.meta.url)(outfile);
  } finally {
    rmSync(outfile, { force: true });
  }
}
