// Entry point of the suite that checks the installed .vsix (--extensionTestsPath): VS Code calls run().
import { runMocha } from './mocha-run';

export function run(): Promise<void> {
  return runMocha('e2e-vsix', ['installed.test.js']);
}
