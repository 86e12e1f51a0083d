// Entry point of the extension-host suite (--extensionTestsPath): VS Code calls run().
import { runMocha } from './mocha-run';

export function run(): Promise<void> {
  return runMocha('e2e-suite', ['extension.test.js']);
}
