// `npm run test:e2e`: the editor suites one after the other, each in its own process, with timings.
// `npm run test:e2e -- smoke vsix` runs only those (names: suite, smoke, vsix).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { OUT, chromiumPath, codeServerPath, seconds } from './editor';

const SUITES: Record<string, { script: string; needsCodeServer: boolean }> = {
  suite: { script: 'run-suite.js', needsCodeServer: false }, // E2E_DESKTOP=1 runs it in desktop VS Code
  smoke: { script: 'ui-smoke.js', needsCodeServer: true },
  vsix: { script: 'vsix.js', needsCodeServer: false },
};

function run(script: string): Promise<number> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(OUT, script)], { stdio: 'inherit' });
    child.on('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<number> {
  const names = process.argv.slice(2);
  const unknown = names.filter((n) => !(n in SUITES));
  if (unknown.length)
    throw new Error(`unknown suite ${unknown.join(', ')}; choose from ${Object.keys(SUITES).join(', ')}`);
  const chosen = names.length ? names : Object.keys(SUITES);
  const desktop = process.env.E2E_DESKTOP === '1';
  if (!desktop || chosen.some((n) => SUITES[n].needsCodeServer)) {
    codeServerPath(); // a clear message now, rather than one per suite
    chromiumPath();
  }

  const times: string[] = [];
  let passed = 0;
  for (const name of chosen) {
    const started = Date.now();
    console.log(`\n== ${name} (${SUITES[name].script})`);
    const code = await run(SUITES[name].script);
    times.push(`${name} ${seconds(started)}${code === 0 ? '' : ' (failed)'}`);
    if (code === 0) passed++;
  }
  console.log(`\ntest:e2e: ${times.join(', ')}`);
  console.log(`test:e2e: ${passed} passed, ${chosen.length - passed} failed`);
  return chosen.length - passed;
}

main().then(
  (failed) => process.exit(failed > 0 ? 1 : 0),
  (e) => {
    console.error(`test:e2e: ${e instanceof Error ? e.message : e}`);
    console.log('test:e2e: 0 passed, 1 failed');
    process.exit(1);
  },
);
