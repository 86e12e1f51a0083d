/**
 * The language server's program (dist/server.js): it runs the server's bundle (dist/language-server.js)
 * with V8's code cache. Compiling the bundle is a third of the start-up; the functions compiled in one
 * run are saved, and the next start reads them instead of compiling again. The cache is kept by user
 * (never in a shared folder, never in the workspace): `--cache-dir=DIR` (the VS Code client gives its
 * storage), else TRUSS_CONFIG_CACHE_DIR (empty: no cache), else the system's cache folder. Any failure
 * of the cache runs the bundle as it is.
 */
import * as buffer from 'node:buffer';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, wrap } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** The bundle's content hash, set by scripts/build.mjs: V8 checks only a cache's source length. */
declare const BUNDLE_HASH: string;

/** Node 18.15 and later. */
const isAscii = (buffer as { isAscii?: (b: Uint8Array) => boolean }).isAscii;

/** How long after start the cache is written, when it was missing or refused (else at exit). */
const WRITE_AFTER_MS = 5000;

function cacheDir(): string | undefined {
  const given = process.argv.find((a) => a.startsWith('--cache-dir='));
  if (given) return given.slice('--cache-dir='.length) || undefined;
  const env = process.env.TRUSS_CONFIG_CACHE_DIR;
  if (env !== undefined) return env || undefined;
  const home = homedir();
  if (!home) return undefined;
  if (process.platform === 'win32')
    return join(process.env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'truss-config', 'Cache');
  if (process.platform === 'darwin') return join(home, 'Library', 'Caches', 'truss-config');
  return join(process.env.XDG_CACHE_HOME || join(home, '.cache'), 'truss-config');
}

function readCache(file: string | undefined): Buffer | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Written whole under a name of its own, then renamed: a server starting meanwhile reads all or nothing.
 * The caches of other builds for this node are removed (an update leaves its predecessor's behind).
 */
function writeCache(file: string, script: Script): void {
  try {
    const dir = dirname(file);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const part = `${file}.${process.pid}.part`;
    writeFileSync(part, script.createCachedData(), { mode: 0o600 });
    renameSync(part, file);
    const suffix = `-${process.version}-${process.arch}.v8cache`;
    for (const f of readdirSync(dir)) {
      if (/^server-[0-9a-f]+-/.test(f) && f.endsWith(suffix) && join(dir, f) !== file) rmSync(join(dir, f));
    }
  } catch {
    // No cache: the next start compiles, as this one did.
  }
}

/** Compiles the bundle (with the cache when there is one) and runs it; the bytes read are not kept. */
function compile(bundle: string): Script {
  // The shipped bundle is ASCII (esbuild escapes the rest), which latin1 reads as it is and faster.
  const bytes = readFileSync(bundle);
  const source = isAscii?.(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const dir = cacheDir();
  const file = dir && join(dir, `server-${BUNDLE_HASH}-${process.version}-${process.arch}.v8cache`);
  const cachedData = readCache(file);
  const script = new Script(wrap(source), { filename: bundle, cachedData });
  if (file && (!cachedData || script.cachedDataRejected)) {
    let written = false;
    const write = () => {
      if (written) return;
      written = true;
      writeCache(file, script);
    };
    setTimeout(write, WRITE_AFTER_MS).unref();
    process.on('exit', write);
  }
  return script;
}

const bundle = join(__dirname, 'language-server.js');
const run = compile(bundle).runInThisContext() as (
  exports: unknown,
  require: NodeJS.Require,
  module: { exports: unknown },
  filename: string,
  dirname: string,
) => void;
const module_ = { exports: {} };
run(module_.exports, createRequire(bundle), module_, bundle, dirname(bundle));
