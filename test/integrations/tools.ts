/** The programs the integration tests drive, installed by scripts/integrations-install.sh. */
import { spawnSync } from 'node:child_process';

/**
 * Why a test cannot run (the program is missing), or undefined when it can. With
 * TRUSS_INTEGRATIONS_REQUIRED=1 (CI) a missing program fails the run instead of skipping.
 */
export function missing(program: string): string | undefined {
  if (spawnSync(program, ['--version'], { stdio: 'ignore' }).status === 0) return undefined;
  const why = `${program} is not installed (bash scripts/integrations-install.sh)`;
  if (process.env.TRUSS_INTEGRATIONS_REQUIRED === '1') throw new Error(why);
  return why;
}
