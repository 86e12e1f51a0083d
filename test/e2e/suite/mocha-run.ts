// Runs Mocha test files inside the extension host and records the counts for the launcher.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { RESULTS } from '../editor';

export interface SuiteResult {
  passed: number;
  failed: number;
  failures: Array<{ title: string; error: string }>;
}

/**
 * Runs `files` (next to this bundle) and writes test-results/<name>.json; rejects when a test failed,
 * which makes VS Code exit with code 1.
 */
export function runMocha(name: string, files: string[]): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  for (const f of files) mocha.addFile(join(__dirname, f));
  const result: SuiteResult = { passed: 0, failed: 0, failures: [] };
  return new Promise((done, fail) => {
    const runner = mocha.run((failures) => {
      mkdirSync(RESULTS, { recursive: true });
      writeFileSync(join(RESULTS, `${name}.json`), JSON.stringify(result, null, 2));
      if (failures > 0) fail(new Error(`${failures} test(s) failed`));
      else done();
    });
    runner.on('pass', () => result.passed++);
    runner.on('fail', (test, err: Error) => {
      result.failed++;
      result.failures.push({ title: test.fullTitle(), error: String(err?.stack ?? err) });
    });
  });
}
