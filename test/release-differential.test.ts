/**
 * The config differential at every truss release: truss's own model at a release
 * (../shared/reference/truss-versions/verdict.py VERSION) beside our checker with that release forced
 * (`release`), on the corpus. A seeded sample of releases here (RELEASE_DIFF_SAMPLE, default 4; `all`
 * for the 179, or a list such as `0.9.50,0.11.24`); the agreement per release is printed, and must not
 * fall below its floor in test/release-floors.json (files agreed on, from the last full run:
 * RELEASE_DIFF_WRITE=1 rewrites it).
 * RELEASE_DIFF_OUT=1 prints each disagreement. Skipped without ../shared.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RELEASES } from '../server/src/core/truss/releases';
import { analyze } from '../server/src/engine/analyze';
import { rng } from './configDiff';
import { ROOT } from './ruleFiles';

const SHARED = join(ROOT, '..', 'shared');
const VERDICT = join(SHARED, 'reference', 'truss-versions', 'verdict.py');
const CORPUS = join(SHARED, 'corpus');
const FLOORS = join(ROOT, 'test', 'release-floors.json');

function corpus(): string[] {
  const out: string[] = [];
  for (const d of readdirSync(CORPUS, { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    for (const f of readdirSync(join(CORPUS, d.name))) if (f.endsWith('.yaml')) out.push(join(CORPUS, d.name, f));
  }
  return out.sort();
}

interface Verdict {
  file: string;
  push_ok: boolean;
  errors: string[];
}

function verdicts(version: string, files: string[]): Map<string, Verdict> {
  const r = spawnSync('python3', [VERDICT, version, '--stdin-json'], {
    input: JSON.stringify(files),
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  assert.equal(r.status, 0, r.stderr);
  const out = new Map<string, Verdict>();
  for (const line of r.stdout.trim().split('\n')) {
    const v = JSON.parse(line) as Verdict;
    out.set(v.file, v);
  }
  return out;
}

/** The releases to run: every one, or a seeded sample that always has the oldest and the newest. */
function sample(): string[] {
  const all = RELEASES.map(([v]) => v);
  const n = process.env.RELEASE_DIFF_SAMPLE ?? '4';
  if (n === 'all') return all;
  if (n.includes('.')) return n.split(',');
  const r = rng(Number(process.env.RELEASE_DIFF_SEED ?? 3));
  const picked = new Set([all[0], all[all.length - 1]]);
  while (picked.size < Math.min(all.length, Number(n))) picked.add(all[Math.floor(r() * all.length)]);
  return all.filter((v) => picked.has(v));
}

const skip = !existsSync(VERDICT) || !existsSync(CORPUS) ? '../shared is absent' : undefined;

describe('the config differential at each truss release', () => {
  it('agrees with truss at each sampled release on the corpus', { skip }, () => {
    const files = corpus();
    const texts = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));
    const rows: string[] = [];
    const misses: string[] = [];
    const floors = JSON.parse(readFileSync(FLOORS, 'utf8')) as Record<string, number>;
    const agreed: Record<string, number> = {};
    const below: string[] = [];
    for (const version of sample()) {
      const truss = verdicts(version, files);
      let agree = 0;
      for (const file of files) {
        const ours = analyze(texts.get(file)!, { release: version });
        const errors = ours.truss ? ours.findings.filter((f) => f.severity === 'error') : [];
        const trussRejects = !truss.get(file)?.push_ok;
        if (errors.length > 0 === trussRejects) {
          agree++;
          continue;
        }
        const why = errors.length
          ? `we reject: ${errors.map((f) => f.code).join(',')}`
          : `we accept: ${truss.get(file)?.errors.join(' | ').slice(0, 200)}`;
        misses.push(
          `${version} ${file.slice(CORPUS.length + 1)}: truss ${trussRejects ? 'rejects' : 'accepts'}, ${why}`,
        );
      }
      agreed[version] = agree;
      rows.push(`${version}: ${agree}/${files.length} (${((100 * agree) / files.length).toFixed(1)} %)`);
      if (agree < (floors[version] ?? files.length)) below.push(`${version}: ${agree} < ${floors[version]}`);
    }
    console.log(`release-differential:\n${rows.join('\n')}`);
    if (process.env.RELEASE_DIFF_OUT) console.log(misses.join('\n'));
    if (process.env.RELEASE_DIFF_WRITE) writeFileSync(FLOORS, `${JSON.stringify({ ...floors, ...agreed }, null, 2)}\n`);
    assert.ok(rows.length > 0);
    assert.deepEqual(below, [], 'agreement fell below the floor at these releases');
  });
});
