/**
 * Field-level differential test against truss, with generators derived from truss's own model
 * (test/truss-fields.py lists every field of `TrussConfig`; test/fieldDiff.ts makes the values).
 * For every scalar field: a valid corpus config with that one field replaced by values truss accepts
 * and their near misses; truss rejects (`push_ok` false) exactly when we report an error.
 *
 * Seeded and bounded here: FIELD_DIFF_VALUES values per field (default 10; `all` for every value),
 * FIELD_DIFF_CONTEXTS configs per field (default 1), FIELD_DIFF_SEED (default 1), FIELD_DIFF_ONLY (a
 * regular expression on the field path). A long run, every value in three configs per field:
 *   FIELD_DIFF_VALUES=all FIELD_DIFF_CONTEXTS=3 node scripts/test-some.mjs test/field-differential.test.ts
 * FIELD_DIFF_OUT=<file> writes the disagreements as JSON. The coverage table (a row per field) is
 * printed as TAP diagnostics.
 */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { missingPrerequisite } from './configDiff';
import { type FieldStats, loadWorld, runFieldDifferential } from './fieldDiff';

const valuesEnv = process.env.FIELD_DIFF_VALUES ?? '10';
const values = valuesEnv === 'all' ? Infinity : Number(valuesEnv);
const contexts = Number(process.env.FIELD_DIFF_CONTEXTS ?? 1);
const seed = Number(process.env.FIELD_DIFF_SEED ?? 1);
const only = process.env.FIELD_DIFF_ONLY ? new RegExp(process.env.FIELD_DIFF_ONLY) : undefined;
const skip = missingPrerequisite();

/** The coverage table: a header, a row per field, a total. */
function table(run: Awaited<ReturnType<typeof runFieldDifferential>>): string[] {
  const row = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
  const reached = run.stats.filter((s) => s.contexts > 0);
  const sum = (f: (s: FieldStats) => number) => run.stats.reduce((n, s) => n + f(s), 0);
  return [
    row(['field', 'types', 'contexts', 'values generated', 'cases', 'truss rejected', 'agree', 'disagree']),
    row(['---', '---', '---:', '---:', '---:', '---:', '---:', '---:']),
    ...run.stats.map((s) =>
      row([
        s.field,
        s.types,
        s.contexts || `0 (${s.why ?? 'no config'})`,
        s.generated,
        s.cases,
        s.rejected,
        s.agreements,
        s.disagreements,
      ]),
    ),
    row([
      `reached ${reached.length} of ${run.scalar} scalar fields (${run.all} fields in the model)`,
      '',
      sum((s) => s.contexts),
      sum((s) => s.generated),
      sum((s) => s.cases),
      sum((s) => s.rejected),
      sum((s) => s.agreements),
      sum((s) => s.disagreements),
    ]),
  ];
}

describe('field-level differential test against truss, values from its model', () => {
  const world = skip ? undefined : loadWorld();

  it(`every scalar field of TrussConfig, ${valuesEnv} values each (seed ${seed})`, { skip }, async (t) => {
    const started = Date.now();
    const run = await runFieldDifferential(world!, { values, contexts, seed, only });
    if (process.env.FIELD_DIFF_OUT)
      writeFileSync(process.env.FIELD_DIFF_OUT, JSON.stringify(run.disagreements, null, 1));
    for (const line of table(run)) t.diagnostic(line);
    t.diagnostic(
      `field-differential: ${run.cases} cases, ${run.disagreements.length} disagreements, ${Date.now() - started} ms`,
    );
    const shown = run.disagreements.slice(0, 6).map((d) => {
      const why = d.kind === 'miss' ? `truss: ${d.truss.slice(0, 300)}` : `ours: ${d.ours.join(' | ').slice(0, 300)}`;
      return `${d.kind} at ${d.field} (${d.label})\n${why}\n${JSON.stringify(d.text)}`;
    });
    assert.equal(run.disagreements.length, 0, shown.join('\n---\n'));
    // Every scalar field of the model is reached, but for a sample restricted by FIELD_DIFF_ONLY.
    if (!only)
      assert.deepEqual(
        run.stats.filter((s) => s.contexts === 0).map((s) => `${s.field}: ${s.why}`),
        [],
        'fields never reached',
      );
  });

  it(
    'a planted disagreement fails it: a checker that reports nothing misses what truss rejects',
    { skip },
    async () => {
      const run = await runFieldDifferential(world!, {
        values: 6,
        contexts: 1,
        seed,
        only: /^resources\.(?:memory|cpu)$/,
        judge: (_ours, truss) => (truss.push_ok ? undefined : { kind: 'miss', truss: truss.errors[0] ?? '', ours: [] }),
      });
      assert.ok(run.stats.every((s) => s.contexts > 0));
      assert.equal(
        run.disagreements.length,
        run.stats.reduce((n, s) => n + s.rejected, 0),
      );
      assert.ok(run.disagreements.length > 0, 'some of the values are rejected by truss');
    },
  );
});
