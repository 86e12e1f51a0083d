/**
 * The server's code cache (server/src/boot.ts): V8's compiled code of the bundle, written by one run and
 * read by the next. Where it goes, that a cache read is not written again, and that a broken, missing or
 * unwritable cache leaves the server as it was.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { LspClient, uri } from './client';

const TEXT = 'model_name: m\npython_version: py311\nresorces: {}\n';
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'truss-cache-test-'));
  dirs.push(d);
  return d;
}

/** One run of the server under `env` (and `args`): its diagnostics for TEXT, then a clean exit. */
async function run(env: Record<string, string | undefined>, args: string[] = []): Promise<string[]> {
  const client = await LspClient.start({ env: { ...process.env, ...env }, args });
  try {
    const d = await client.open(uri(), TEXT);
    return d.map((x) => String(x.code));
  } finally {
    assert.equal(await client.stop(), 0);
  }
}

/** The cache files in `dir`. */
const caches = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.v8cache'));

describe('the code cache', () => {
  it('is written by a run, readable by its user only, and read as it is by the next run', async () => {
    const dir = join(tempDir(), 'nested', 'cache');
    assert.deepEqual(await run({ TRUSS_CONFIG_CACHE_DIR: dir }), ['unknown-key']);
    const [file] = caches(dir);
    assert.ok(file, 'written at exit');
    assert.match(file, new RegExp(`^server-[0-9a-f]{16}-${process.version}-${process.arch}\\.v8cache$`));
    assert.equal(readdirSync(dir).length, 1, 'no part file left');
    if (process.platform !== 'win32') {
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      assert.equal(statSync(join(dir, file)).mode & 0o777, 0o600);
    }
    const before = readFileSync(join(dir, file));
    const mtime = statSync(join(dir, file)).mtimeMs;
    assert.deepEqual(await run({ TRUSS_CONFIG_CACHE_DIR: dir }), ['unknown-key']);
    assert.equal(statSync(join(dir, file)).mtimeMs, mtime, 'a cache V8 accepted is not written again');
    assert.ok(readFileSync(join(dir, file)).equals(before));
  });

  it("a broken cache is refused by V8 and written anew; another build's goes, another node's stays", async () => {
    const dir = tempDir();
    await run({ TRUSS_CONFIG_CACHE_DIR: dir });
    const [file] = caches(dir);
    writeFileSync(join(dir, file), Buffer.from('not a cache at all'));
    const older = `server-0123456789abcdef-${process.version}-${process.arch}.v8cache`;
    const otherNode = `server-0123456789abcdef-v0.0.1-${process.arch}.v8cache`;
    for (const f of [older, otherNode, 'notes.txt']) writeFileSync(join(dir, f), 'x');
    assert.deepEqual(await run({ TRUSS_CONFIG_CACHE_DIR: dir }), ['unknown-key']);
    assert.ok(statSync(join(dir, file)).size > 100_000, 'written anew');
    assert.deepEqual(readdirSync(dir).sort(), [file, otherNode, 'notes.txt'].sort());
  });

  it('an empty TRUSS_CONFIG_CACHE_DIR turns it off; --cache-dir wins over the variable', async () => {
    const home = tempDir();
    const env = { HOME: home, USERPROFILE: home, LOCALAPPDATA: home, XDG_CACHE_HOME: undefined };
    assert.deepEqual(await run({ ...env, TRUSS_CONFIG_CACHE_DIR: '' }), ['unknown-key']);
    assert.deepEqual(readdirSync(home), [], 'nothing written anywhere in the home folder');
    const given = tempDir();
    assert.deepEqual(await run({ ...env, TRUSS_CONFIG_CACHE_DIR: home }, [`--cache-dir=${given}`]), ['unknown-key']);
    assert.equal(caches(given).length, 1);
    assert.deepEqual(readdirSync(home), []);
  });

  it("without a setting it goes to the user's cache folder", async (t) => {
    if (process.platform !== 'linux') return t.skip('the folder checked is Linux’s');
    const home = tempDir();
    await run({ HOME: home, XDG_CACHE_HOME: undefined, TRUSS_CONFIG_CACHE_DIR: undefined });
    assert.equal(caches(join(home, '.cache', 'truss-config')).length, 1);
  });

  it('a cache folder that cannot be made leaves the server working', async () => {
    const blocked = join(tempDir(), 'a-file');
    writeFileSync(blocked, 'in the way');
    assert.deepEqual(await run({ TRUSS_CONFIG_CACHE_DIR: join(blocked, 'cache') }), ['unknown-key']);
  });
});
