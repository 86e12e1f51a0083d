import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CODES } from '../server/src/engine/rules';

describe('README', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const rows = new Map(
    [...readme.matchAll(/^\| `([a-z0-9-]+)` \| (error|warning|information|hint) \|/gm)].map((m) => [m[1], m[2]]),
  );
  it('lists every rule code with its severity, and no other', () => {
    assert.deepEqual([...rows.keys()].sort(), [...CODES.keys()].sort());
    for (const [code, info] of CODES) assert.equal(rows.get(code), info.severity, code);
  });
});
