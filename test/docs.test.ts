/** The rule docs: every code documented with an example that works, and the generated files up to date. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { docsProblems, generatedDocs } from '../scripts/docs';
import { CODES } from '../server/src/engine/rules';
import pkg from '../package.json';
import { ROOT } from './ruleFiles';

describe('rule docs', () => {
  for (const c of CODES.values()) {
    it(`${c.code}: its example gets it, and the corrected config gets nothing`, () => {
      assert.deepEqual(docsProblems(c), []);
    });
  }

  it('every code has a setting in package.json, and every setting a code', () => {
    const props = Object.keys(pkg.contributes.configuration.properties['trussConfig.rules'].properties);
    assert.deepEqual(props.sort(), [...CODES.keys()].sort());
  });

  it('docs/rules and the README table are up to date (npm run docs)', () => {
    const files = generatedDocs(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    const stale = [...files].filter(([path, content]) => {
      try {
        return readFileSync(join(ROOT, path), 'utf8') !== content;
      } catch {
        return true;
      }
    });
    assert.deepEqual(
      stale.map(([p]) => p),
      [],
    );
  });
});
