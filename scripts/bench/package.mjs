// @ts-check
// The .vsix's size (the newest one at the repository's root, built by `npm run package`).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as targets from './targets.mjs';
/** @import { Bench } from './context.mjs' */

/**
 * @param {Bench} bench
 */
export function packageRow({ inputs, report }) {
  const root = inputs.repoRoot;
  const vsix = readdirSync(root)
    .filter((f) => f.endsWith('.vsix'))
    .map((f) => ({ f, size: statSync(join(root, f)).size, mtime: statSync(join(root, f)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime)[0];
  if (vsix) report.row('Package', vsix.f, vsix.size / 1024, undefined, { unit: 'KB', ...targets.vsix(vsix.size) });
  else
    report.row('Package', '.vsix not built (run npm run package)', undefined, undefined, {
      unit: 'KB',
      ...targets.vsix(undefined),
    });
}
