/** Every file of test/rules/<rule>/ through the analysis core, in LF and CRLF; every golden fix likewise. */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { BasetenSecrets } from '../server/src/core/truss/basetenSecrets';
import { analyze } from '../server/src/engine/analyze';
import { addAllSecretsFix, fixesFor } from '../server/src/engine/fixes';
import { RULES } from '../server/src/engine/rules';
import { type Expectation, asExpectations, workspaceSecrets } from './annotations';
import { goldens, ruleCases, ruleFolders } from './ruleFiles';
import { applyEdits } from './text';

function found(text: string, names?: string[]): Expectation[] {
  const a = analyze(text, { baseten: names && new BasetenSecrets(names) });
  assert.equal(a.truss, true, 'detected as a Truss config');
  assert.deepEqual(a.internalErrors, []);
  return asExpectations(a.findings);
}

describe('rules (test/rules)', () => {
  for (const c of ruleCases()) {
    it(c.name, () => assert.deepEqual(found(c.text, c.workspace), c.expected));
    it(`${c.name} (CRLF)`, () => assert.deepEqual(found(c.text.replace(/\n/g, '\r\n'), c.workspace), c.expected));
  }

  it('has a folder for every rule with a case file, and no folder for another name', () => {
    const names = RULES.map((r) => r.name).sort();
    const folders = ruleFolders();
    assert.deepEqual(
      folders.filter((f) => !names.includes(f)),
      [],
      'folders without a rule',
    );
    const cases = new Set(ruleCases().map((c) => c.rule));
    assert.deepEqual(
      names.filter((n) => n !== 'unused-suppression' && !cases.has(n)),
      [],
      'rules without a case',
    );
  });
});

describe('golden fixes (test/rules/*/fixes)', () => {
  for (const g of goldens()) {
    for (const eol of ['\n', '\r\n'] as const) {
      it(`${g.rule}/${g.name}${eol === '\n' ? '' : ' (CRLF)'}`, () => {
        const input = g.input.replace(/\n/g, eol);
        const names = workspaceSecrets(g.input);
        const a = analyze(input, { baseten: names && new BasetenSecrets(names) });
        const fix = [
          ...a.findings.filter((f) => f.code === g.code).flatMap((f) => fixesFor(a, f)),
          addAllSecretsFix(a),
        ].find((f) => f?.title.includes(g.title));
        assert.ok(fix, `a fix "${g.title}" for ${g.code}`);
        const output = applyEdits(input, fix.edits);
        if (process.env.UPDATE_GOLDEN && eol === '\n') writeFileSync(g.outputFile, output);
        assert.equal(output, g.output.replace(/\n/g, eol));
      });
    }
  }
});
