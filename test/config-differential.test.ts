/**
 * Differential test at the config level: mutate the corpus's accepted configs, ask truss's own config
 * model (../shared/reference/truss-verdict.py) and our core for a verdict, and require that they agree:
 * truss rejects (`push_ok` false) exactly when we report at least one error, but for the differences
 * docs/differences.md documents. Seeded and bounded here (CONFIG_DIFF_CASES, default 300;
 * CONFIG_DIFF_SEED, default 1); a long run: CONFIG_DIFF_CASES=20000 node scripts/test-some.mjs <this file>.
 * CONFIG_DIFF_OUT=<file> writes the disagreements as JSON.
 */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { missingPrerequisite, runDifferential } from './configDiff';

const cases = Number(process.env.CONFIG_DIFF_CASES ?? 300);
const seed = Number(process.env.CONFIG_DIFF_SEED ?? 1);
const skip = missingPrerequisite();

describe('config-level differential test against truss', () => {
  it(`${cases} seeded mutations of the corpus: truss rejects exactly when we report an error`, { skip }, async () => {
    const started = Date.now();
    const { disagreements, rejected } = await runDifferential(cases, seed);
    if (process.env.CONFIG_DIFF_OUT) writeFileSync(process.env.CONFIG_DIFF_OUT, JSON.stringify(disagreements, null, 1));
    const misses = disagreements.filter((d) => d.kind === 'miss').length;
    console.log(
      `config-differential: ${cases} cases (seed ${seed}), truss rejected ${rejected}, ` +
        `${disagreements.length} disagreements (${misses} misses), ${Date.now() - started} ms`,
    );
    const shown = disagreements.slice(0, 5).map((d) => {
      const why = d.kind === 'miss' ? `truss: ${d.truss.slice(0, 300)}` : `ours: ${d.ours.join(' | ')}`;
      return `${d.kind} after ${d.ops.join(', ')}\n${why}\n${d.text}`;
    });
    assert.equal(disagreements.length, 0, shown.join('\n---\n'));
  });
});
