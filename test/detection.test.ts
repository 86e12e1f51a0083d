/**
 * Precision and recall of detection (core/truss/detect.ts) on real files, held as floors: every Truss
 * config of ../shared/corpus checked alone (no folder), the 376 Truss folders of ../shared/trusses checked
 * with their folder, the negative corpus, and our ML configs with `model_name` (test/core/detect-ml), alone
 * and in an ML repository's folder. Thresholds are relative to the cases run; without ../shared only the
 * ML configs run.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import type { Folder } from '../server/src/core/truss/detect';
import { analyze } from '../server/src/engine/analyze';
import { ROOT } from './ruleFiles';

const SHARED = join(ROOT, '..', 'shared');
const ML = join(ROOT, 'test', 'core', 'detect-ml');

function yamlFiles(dir: string, name = /\.ya?ml$/): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? yamlFiles(join(dir, e.name), name) : name.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** A folder on disk, as the checker and the server see it. */
const onDisk =
  (dir: string): Folder =>
  (path) =>
    existsSync(join(dir, path));
/** A made-up folder holding these paths. */
const holding =
  (...paths: string[]): Folder =>
  (path) =>
    paths.includes(path);

const detected = (file: string, folder?: Folder): boolean => analyze(readFileSync(file, 'utf8'), { folder }).truss;

interface Case {
  set: string;
  /** Whether the files are Truss configs. */
  truss: boolean;
  files: string[];
  folder: (file: string) => Folder | undefined;
  /** The floor: the least share detected (Truss configs) or the most (the others). */
  bound: number;
}

const pct = (r: number) => `${(r * 100).toFixed(1)}%`;

/**
 * The table, before (keys only: a lone model_name enough, a typo of a Truss key +1) and after:
 * | set                                         | files | before | after |
 * | corpus, alone (recall)                      | 421   | 100%   | 97.9% | 9 of truss's tests: shared keys only
 * | corpus beside model/model.py (recall)       | 421   | 100%   | 100%  |
 * | Truss folders, with their folder (recall)   | 376   | 100%   | 100%  |
 * | negative corpus, alone (detected)           | 100   | 0%     | 0%    |
 * | negative corpus beside model/model.py       | 100   | 0%     | 0%    |
 * | ML configs, alone (detected)                | 28    | 21.4%  | 0%    |
 * | ML configs beside data/                     | 28    | 21.4%  | 0%    |
 * | ML configs beside data/ and model/model.py  | 28    | 21.4%  | 14.3% | truss push would read them as Truss configs
 */
describe('detection on real configs: precision and recall held as floors', () => {
  const corpus = join(SHARED, 'corpus');
  const trusses = join(SHARED, 'trusses', 'truss-examples');
  const negative = join(SHARED, 'corpus-negative');
  const ml = yamlFiles(ML);
  const has = (dir: string) => existsSync(dir);
  const cases: Case[] = [
    { set: 'ML configs, alone', truss: false, files: ml, folder: () => undefined, bound: 0 },
    { set: 'ML configs beside data/', truss: false, files: ml, folder: () => holding('data'), bound: 0 },
    {
      set: 'ML configs beside data/ and model/model.py',
      truss: false,
      files: ml,
      folder: () => holding('data', 'model/model.py'),
      bound: 0.15,
    },
  ];
  if (has(corpus)) {
    const files = yamlFiles(corpus);
    cases.push(
      { set: 'corpus, alone', truss: true, files, folder: () => undefined, bound: 0.975 },
      { set: 'corpus beside model/model.py', truss: true, files, folder: () => holding('model/model.py'), bound: 1 },
    );
  }
  if (has(trusses)) {
    const files = yamlFiles(trusses, /^config\.yaml$/);
    cases.push({
      set: 'Truss folders, with their folder',
      truss: true,
      files,
      folder: (f) => onDisk(dirname(f)),
      bound: 1,
    });
  }
  if (has(negative)) {
    const files = yamlFiles(negative);
    cases.push(
      { set: 'negative corpus, alone', truss: false, files, folder: () => undefined, bound: 0 },
      {
        set: 'negative corpus beside model/model.py',
        truss: false,
        files,
        folder: () => holding('model/model.py'),
        bound: 0,
      },
    );
  }

  it('has 20 or more ML configs, each with model_name', () => {
    assert.ok(ml.length >= 20, `${ml.length} ML configs`);
    for (const f of ml) assert.match(readFileSync(f, 'utf8'), /^\s*model_name:/m, f);
  });
  for (const c of cases) {
    const what = c.truss ? 'recall' : 'detected';
    it(`${c.set}: ${what} ${c.truss ? '>=' : '<='} ${pct(c.bound)}`, (t) => {
      const found = c.files.filter((f) => detected(f, c.folder(f)));
      const r = found.length / c.files.length;
      t.diagnostic(`${c.set} (${c.files.length} files): ${what} ${pct(r)}`);
      if (c.truss)
        assert.ok(r >= c.bound, `${pct(r)}; missed:\n${c.files.filter((f) => !found.includes(f)).join('\n')}`);
      else assert.ok(r <= c.bound, `${pct(r)}:\n${found.join('\n')}`);
    });
  }
  it(
    'skips what ../shared lacks',
    { skip: has(corpus) && has(trusses) && has(negative) ? false : 'no ../shared' },
    () => {
      assert.equal(cases.length, 8);
    },
  );
});
