import { run } from './cli/main';

void run(
  process.argv.slice(2),
  (s) => process.stdout.write(s),
  (s) => process.stderr.write(s),
  process.env,
).then((code) => (process.exitCode = code));
