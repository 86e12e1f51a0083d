/**
 * What `npm run generate` derives from the rules: every code documented with an example that works,
 * and every generated file (the rule list, docs/rules/, the README's table, package.json's settings)
 * up to date, with no orphan page.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { docsProblems } from '../scripts/docs';
import { GENERATED_FOLDERS, generatedFiles } from '../scripts/generate';
import { RULE_LIST, ruleListSource } from '../scripts/rule-list.mjs';
import { CODES } from '../server/src/engine/rules';
import pkg from '../package.json';
import { ROOT } from './ruleFiles';

const read = (path: string): string => {
  try {
    return readFileSync(join(ROOT, path), 'utf8');
  } catch {
    return '';
  }
};

describe('generated from the rules (npm run generate)', () => {
  for (const c of CODES.values()) {
    it(`${c.code}: its example gets it, and the corrected config gets nothing`, () => {
      assert.deepEqual(docsProblems(c), []);
    });
  }

  it('every code has a setting in package.json, with its default severity', () => {
    const props = pkg.contributes.configuration.properties['trussConfig.rules'].properties as Record<
      string,
      { default?: string }
    >;
    assert.deepEqual(Object.keys(props), [...CODES.keys()]);
    for (const c of CODES.values()) assert.equal(props[c.code].default, c.severity, c.code);
  });

  it('the rule list, docs/rules, the README table and package.json are up to date', () => {
    const files = generatedFiles(read);
    files.set(RULE_LIST, ruleListSource(ROOT));
    const stale = [...files].filter(([path, content]) => read(path) !== content).map(([p]) => p);
    assert.deepEqual(stale, []);
    const orphans = GENERATED_FOLDERS.flatMap((d) => readdirSync(join(ROOT, d)).map((f) => `${d}/${f}`)).filter(
      (p) => !files.has(p),
    );
    assert.deepEqual(orphans, []);
  });
});
