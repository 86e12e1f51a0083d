/**
 * What the first diagnostics do not need is loaded on first use (scripts/build-plugins.mjs
 * `lazyPackages`): read from heap snapshots of the real server, whose objects and functions are named
 * after their constructors (the test build is not minified).
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { LspClient, uri } from './client';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

/** The names of the objects and functions in a heap snapshot the server writes on SIGUSR2, `_` dropped. */
async function heapNames(client: LspClient, dir: string): Promise<Set<string>> {
  const before = new Set(readdirSync(dir));
  process.kill(client.pid!, 'SIGUSR2');
  for (let waited = 0; waited < 30_000; waited += 200) {
    await new Promise((r) => setTimeout(r, 200));
    const file = readdirSync(dir).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
    if (!file || statSync(join(dir, file)).size === 0) continue;
    let snap: Snapshot;
    try {
      snap = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Snapshot;
    } catch {
      continue; // still being written
    }
    rmSync(join(dir, file));
    const { node_fields: fields, node_types: types } = snap.snapshot.meta;
    const [type, name] = [fields.indexOf('type'), fields.indexOf('name')];
    const names = new Set<string>();
    for (let i = 0; i < snap.nodes.length; i += fields.length) {
      const t = types[0][snap.nodes[i + type]];
      // esbuild names a class that refers to itself `_Name`.
      if (t === 'object' || t === 'closure') names.add(snap.strings[snap.nodes[i + name]].replace(/^_+/, ''));
    }
    return names;
  }
  throw new Error('no heap snapshot');
}

describe('start-up loads only what the first diagnostics need', () => {
  it('a config without model code: no Python parser, no child_process; with model code: the parser', async (t) => {
    if (process.platform === 'win32') return t.skip('heap snapshots on SIGUSR2 need Linux or macOS');
    const dir = mkdtempSync(join(tmpdir(), 'truss-lazy-'));
    const client = await LspClient.start({
      env: { ...process.env, NODE_OPTIONS: `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${dir}` },
    });
    try {
      const plain = pathToFileURL(join(dir, 'config.yaml')).href;
      const d = await client.open(plain, 'model_name: m\npython_version: py311\nresorces: {}\n');
      assert.deepEqual(
        d.map((x) => x.code),
        ['unknown-key'],
      );
      const first = await heapNames(client, dir);
      assert.ok(first.has('ParsedDocument'), 'the snapshot names the analysis');
      assert.ok(!first.has('LRParser'), '@lezer/python is not loaded');
      assert.ok(!first.has('ChildProcess'), 'node:child_process is not loaded');

      await client.open(uri(), 'model_name: m\npython_version: py311\n');
      assert.ok((await heapNames(client, dir)).has('LRParser'), 'model code loads the Python parser');
    } finally {
      await client.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
