// Launches one extension-host suite with @vscode/test-electron and reports its counts.
import { runTests } from '@vscode/test-electron';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { OUT, RESULTS, seconds, tempDir } from './editor';
import type { SuiteResult } from './suite/mocha-run';

/** The desktop VS Code version for E2E_DESKTOP=1 runs. */
export function desktopVersion(): string {
  return process.env.E2E_VSCODE_VERSION || 'stable';
}

/** Runs one extension-host suite and returns its counts (a run that did not report counts as one failure). */
export async function runSuite(options: {
  label: string;
  result: string;
  testsPath: string;
  developmentPath: string;
  workspace: string;
  extensionsDir?: string;
  /** Run in desktop VS Code: the one at `executable`, or one test-electron downloads. */
  desktop?: boolean;
  executable?: string;
}): Promise<{ passed: number; failed: number }> {
  const { label } = options;
  const started = Date.now();
  const profile = tempDir('profile');
  const resultFile = join(RESULTS, `${options.result}.json`);
  rmSync(resultFile, { force: true });
  let code: number;
  try {
    const launchArgs = [
      options.workspace,
      `--user-data-dir=${join(profile, 'user-data')}`,
      `--extensions-dir=${options.extensionsDir ?? join(profile, 'extensions')}`,
    ];
    code = await runTests({
      ...(options.desktop
        ? options.executable
          ? { vscodeExecutablePath: options.executable }
          : { version: desktopVersion() }
        : { vscodeExecutablePath: process.env.VSCODE_SHIM || join(OUT, 'code-shim.js') }),
      extensionDevelopmentPath: options.developmentPath,
      extensionTestsPath: options.testsPath,
      launchArgs,
    });
  } catch (e) {
    console.error(`${label}: ${e instanceof Error ? e.message : String(e)}`);
    code = 1;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  console.log(`${label}: run took ${seconds(started)}`);
  if (!existsSync(resultFile)) {
    console.log(`${label}: the suite did not report (exit code ${code})`);
    return { passed: 0, failed: 1 };
  }
  const result = JSON.parse(readFileSync(resultFile, 'utf8')) as SuiteResult;
  for (const f of result.failures) console.log(`${label}: FAILED ${f.title}\n${f.error}\n`);
  // An exit code that disagrees with the counts (a crash after the run) still fails the run.
  return { passed: result.passed, failed: code !== 0 ? Math.max(result.failed, 1) : result.failed };
}
