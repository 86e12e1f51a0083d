/** A copy of the working tree, as a fresh checkout has it (no dist/, no node_modules), for packaging tests. */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from './ruleFiles';

/**
 * Copies the files git tracks or would track (committed or not, untracked but not ignored) into `dest`.
 * With `nodeModules`, links the repository's node_modules there (the build needs esbuild).
 */
export function copyCheckout(dest: string, opts: { nodeModules?: boolean } = {}): void {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  // node_modules may be a symbolic link, which a `node_modules/` ignore pattern does not match.
  const files = [...new Set(listed.split('\0'))].filter((f) => f && f !== 'node_modules');
  for (const f of files) {
    mkdirSync(dirname(join(dest, f)), { recursive: true });
    try {
      cpSync(join(ROOT, f), join(dest, f));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; // deleted, not yet committed
    }
  }
  if (opts.nodeModules) symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(dest, 'node_modules'), 'dir');
}

/** An environment without what a parent `npm run` sets (npm_config_*, npm_lifecycle_*…). */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^npm_/i.test(k)) env[k] = v;
  env.PATH = `${dirname(process.execPath)}:${env.PATH ?? ''}`;
  return { ...env, ...extra };
}

/** A Truss config with one error (`unknown-key` on line 8, column 5) and one warning (`registry-missing`). */
export const BROKEN =
  'model_name: m\nbase_image:\n  image: gcr.io/p/i:1\n  docker_auth:\n    auth_method: GCP_OIDC\n' +
  '    gcp_oidc_service_account: sa@p.iam.gserviceaccount.com\n' +
  '    gcp_oidc_workload_id_provider: projects/1/locations/global/workloadIdentityPools/p/providers/q\n' +
  '    registy: gcr.io\n';

/** A Truss config with nothing to report. */
export const CLEAN = 'model_name: m\npython_version: py311\nsecrets:\n  hf_access_token: null\n';
