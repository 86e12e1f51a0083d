import { runAction } from './cli/action';

// Paths and the config file are read from the workspace, as the user wrote them.
if (process.env.GITHUB_WORKSPACE) process.chdir(process.env.GITHUB_WORKSPACE);
process.exitCode = runAction(process.env, (s) => process.stdout.write(s));
