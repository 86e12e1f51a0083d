/** Memory given back when the server rests (lsp/rest.ts): when it collects, and that the collection compacts. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { GROWTH_BYTES, Rest, compactingCollector } from '../../server/src/lsp/rest';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MB = 1024 * 1024;

/** A Rest over a heap of `size` bytes, counting its collections. */
function resting(delayMs = 40) {
  const state = { size: 10 * MB, collections: 0 };
  const rest = new Rest({
    heap: () => state.size,
    collector: () => () => {
      state.collections++;
      state.size = 10 * MB;
    },
    delayMs,
  });
  return { rest, state };
}

describe('rest: memory given back when the server rests', () => {
  it('collects once the server has sent nothing for the delay, not before', async () => {
    const { rest, state } = resting();
    rest.worked();
    await sleep(10);
    assert.equal(state.collections, 0);
    await sleep(80);
    assert.equal(state.collections, 1, 'the start-up garbage goes at the first rest');
  });

  it('work during the rest puts the collection off', async () => {
    const { rest, state } = resting(60);
    rest.worked();
    for (let i = 0; i < 6; i++) {
      await sleep(20);
      rest.worked();
    }
    assert.equal(state.collections, 0, 'still working: no collection');
    await sleep(120);
    assert.equal(state.collections, 1);
  });

  it('collects again only when the heap grew by GROWTH_BYTES since the last collection', async () => {
    const { rest, state } = resting();
    rest.worked();
    await sleep(90);
    assert.equal(state.collections, 1);
    state.size += GROWTH_BYTES - 1;
    rest.worked();
    await sleep(90);
    assert.equal(state.collections, 1, 'grown by less: not worth its time');
    state.size += 1;
    rest.worked();
    await sleep(90);
    assert.equal(state.collections, 2);
  });

  it('does nothing where the runtime cannot collect', async () => {
    let made = 0;
    const rest = new Rest({
      heap: () => 100 * MB,
      collector: () => {
        made++;
        return undefined;
      },
      delayMs: 10,
    });
    rest.worked();
    await sleep(40);
    rest.worked();
    await sleep(40);
    assert.equal(made, 1, 'asked once, then the server stops trying');
  });

  it('compacts: pages left half full are emptied, which a collection alone keeps', () => {
    const collect = compactingCollector();
    assert.ok(collect, 'node lets the server collect and compact');
    assert.equal(typeof (globalThis as { gc?: unknown }).gc, 'undefined', 'gc is not left exposed');
    // Objects that reach the old generation, then every other one dropped: each page stays half full,
    // under the fragmentation at which V8's usual collection moves objects.
    let all: { i: number; s: string }[] | undefined = Array.from({ length: 500_000 }, (_, i) => ({ i, s: `x${i}` }));
    for (let i = 0; i < 3; i++) all = all.map((o) => o);
    const half = all.filter((o) => o.i % 2 === 0);
    all = undefined;
    collect();
    const before = process.memoryUsage().heapTotal;
    half.splice(0, half.length, ...half.filter((o) => o.i % 8 === 0));
    collect();
    const after = process.memoryUsage().heapTotal;
    assert.ok(half.length === 62_500);
    assert.ok(after < before - 8 * MB, `heapTotal ${(before / MB).toFixed(1)} → ${(after / MB).toFixed(1)} MB`);
  });
});
