/** keyUsage.ts (the order completion offers keys in) is what scripts/key-usage.mjs derives from the corpus. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from './ruleFiles';

const skip = existsSync(join(ROOT, '..', 'shared', 'corpus')) ? undefined : '../shared/corpus is absent';

describe('key usage', () => {
  it('keyUsage.ts is fresh: node scripts/key-usage.mjs', { skip }, () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'key-usage.mjs'), '--check'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });
});
