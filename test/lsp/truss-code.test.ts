/**
 * lsp/trussCode.ts, the server's model code of each Truss, with its file system handed in: one object per
 * config until a file changes, files parsed one per turn of the event loop before an analysis takes them,
 * the open text over the disk's, and which Trusses hold a Python file.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { pythonParses } from '../../server/src/core/python/secretReads';
import { TrussCode } from '../../server/src/lsp/trussCode';

const read = (n: number) => `class M:\n    def __init__(self, secrets):\n        self.s = secrets["k${n}"]\n`;

function store() {
  const disk = new Map<string, string>();
  for (let i = 0; i < 5; i++) disk.set(`/w/t/model/m${i}.py`, `${read(i)}# ${Math.random()}\n`);
  disk.set('/w/t/config.yaml', 'model_name: t\n');
  const open = new Map<string, string>();
  let changes = 0;
  const code = new TrussCode({
    open: (path) => (open.has(path) ? { uri: `file://${path}`, text: open.get(path)! } : undefined),
    list: (base, dirs) =>
      [...disk.keys()]
        .filter((p) => p.endsWith('.py') && dirs.some((d) => p.startsWith(`${base}/${d}/`)))
        .map((p) => p.slice(base.length + 1)),
    read: (path) => disk.get(path),
    readConfig: (path) => disk.get(path),
    above: () => [],
    foldersChanged: () => changes++,
  });
  return { code, disk, open, changes: () => changes };
}

describe('the model code the server keeps', () => {
  it('parses a new Truss one file per turn, then gives the same object until a file changes', async () => {
    const { code, open, changes } = store();
    const uri = 'file:///w/t/config.yaml';
    const dirs = ['model', 'packages'];
    assert.equal(code.code(uri, dirs), undefined, 'not parsed yet');
    assert.equal(code.cold(uri), true);
    assert.equal(changes(), 1, 'a new Truss: its folders are watched');
    const before = pythonParses();
    const warming = code.warm(uri);
    assert.equal(pythonParses() - before, 1, 'one file in this turn');
    await new Promise((r) => setImmediate(r));
    assert.equal(pythonParses() - before, 2, 'the next one in the next turn');
    await warming;
    assert.equal(pythonParses() - before, 5);
    const first = code.code(uri, dirs);
    assert.ok(first);
    assert.equal(first.files.length, 5);
    assert.equal(code.code(uri, dirs), first, 'the same object: a config keystroke parses nothing');
    assert.equal(code.current(uri), first);

    // An open document's text wins; the Trusses that hold it are told, and parse that file only.
    const path = '/w/t/model/m2.py';
    assert.deepEqual(code.owners(path), [{ configUri: uri, file: 'model/m2.py' }]);
    assert.deepEqual(code.owners('/w/t/scripts/x.py'), []);
    open.set(path, read(9));
    assert.deepEqual(code.changed(path), [uri]);
    assert.equal(code.code(uri, dirs), undefined, 'the edited file waits for its parse');
    const again = pythonParses();
    await code.warm(uri);
    assert.equal(pythonParses() - again, 1, 'only the edited file');
    const second = code.code(uri, dirs)!;
    assert.notEqual(second, first);
    assert.equal(second.files.find((f) => f.path === 'model/m2.py')?.text, read(9));
    assert.equal(second.files.filter((f, i) => f === first.files[i]).length, 4, 'the other files kept');

    assert.deepEqual(code.folders(), ['/w/t/model', '/w/t/packages']);
    code.forget(uri);
    assert.deepEqual(code.owners(path), []);
    assert.equal(changes(), 2);
  });
});
