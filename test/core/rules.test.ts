import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/engine/analyze';
import { CASES } from '../cases';
import { actual, expected } from '../expect';

describe('rules (core)', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const a = analyze(c.text);
      assert.equal(a.truss, true, 'detected as a Truss config');
      assert.deepEqual(actual(c.text, a.findings), expected(c));
    });
  }
});
