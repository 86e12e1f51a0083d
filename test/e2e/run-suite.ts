// Runs the extension-host suite (suite/extension.test.ts) with @vscode/test-electron:
// in code-server through the shim by default, or with E2E_DESKTOP=1 in the desktop VS Code that
// test-electron downloads (needs internet; E2E_VSCODE_VERSION picks the version, default stable).
// Prints `e2e: N passed, N failed` last.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { OUT, ROOT, codeServerPath, copyWorkspace, report } from './editor';
import { runSuite } from './launch';

async function main(): Promise<{ passed: number; failed: number }> {
  const desktop = process.env.E2E_DESKTOP === '1';
  if (!desktop) codeServerPath(); // fails early, with the install hint, when code-server is missing
  const workspace = copyWorkspace();
  try {
    return await runSuite({
      label: 'e2e',
      result: 'e2e-suite',
      testsPath: join(OUT, 'suite', 'index.js'),
      developmentPath: ROOT,
      workspace,
      desktop,
    });
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

report('e2e', main);
