/**
 * The opt-in truss run's process (server/src/trussRun/worker.ts): a real truss answers; a Python that
 * is absent, crashes, hangs or prints garbage gives a short reason, never an answer.
 */
import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { TrussWorker, askOnce } from '../../server/src/trussRun/worker';
import { FUTURE, FUTURE_GPU, cannotMakeEnvs, trussEnv } from '../trussEnvs';

const tmp = mkdtempSync(join(tmpdir(), 'truss-run-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A stand-in for Python: a shell script. */
function fake(name: string, body: string): string {
  const file = join(tmp, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

const CONFIG = `model_name: m\nresources:\n  accelerator: ${FUTURE_GPU}x\nbogus: 1\n`;

describe('the truss run', () => {
  it('fails with a reason, never an answer, for a Python absent, crashing, hanging or printing garbage', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['absent', join(tmp, 'no-such-python'), /could not be started/],
      ['crash', fake('crash', 'exit 3'), /exited/],
      ['garbage', fake('garbage', 'echo "Welcome to Python"; cat'), /not an answer/],
      [
        'no truss',
        fake('no-truss', 'echo \'{"ready": false, "reason": "ModuleNotFoundError"}\''),
        /cannot be imported/,
      ],
      ['hang', fake('hang', 'exec sleep 30'), /did not answer/],
    ];
    for (const [what, python, reason] of cases) {
      const worker = new TrussWorker(python, { timeout: 1500 });
      const run = await worker.ask(CONFIG);
      worker.stop();
      assert.ok('failed' in run && reason.test(run.failed), `${what}: ${JSON.stringify(run)}`);
      const once = askOnce(python, CONFIG, 1500);
      assert.ok('failed' in once && reason.test(once.failed), `${what}, once: ${JSON.stringify(once)}`);
    }
  });

  it(
    'gets the installed truss’s errors, with locations and without the value',
    { skip: cannotMakeEnvs() },
    async () => {
      const worker = new TrussWorker(trussEnv(FUTURE));
      try {
        const [a, b] = await Promise.all([worker.ask(CONFIG), worker.ask('model_name: m\n')]);
        assert.ok('answer' in a && 'answer' in b, JSON.stringify([a, b]));
        assert.equal(a.answer.version, FUTURE);
        assert.deepEqual(
          a.answer.errors.map((e) => [e.loc, e.stage]),
          [[['resources', 'accelerator'], 'load']],
        );
        assert.ok(!a.answer.errors[0].msg.includes(`${FUTURE_GPU}x`), a.answer.errors[0].msg);
        assert.deepEqual(b.answer.errors, []);
        assert.deepEqual(askOnce(trussEnv(FUTURE), CONFIG), a);
      } finally {
        worker.stop();
      }
    },
  );
});
