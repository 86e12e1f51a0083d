/** Every file of test/rules/<rule>/ through the analysis core, in LF and CRLF; every golden fix likewise. */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { BasetenSecrets } from '../server/src/core/truss/basetenSecrets';
import { analyze } from '../server/src/engine/analyze';
import { fixesFor, groupFixesFor } from '../server/src/engine/fixes';
import { CODES, RULES } from '../server/src/engine/rules';
import { code, defineRule } from '../server/src/core/rule';
import { type Expectation, IN_TRUSS, asExpectations, workspaceSecrets } from './annotations';
import { type RuleCase, goldens, ruleCases, ruleFolders, trussCases } from './ruleFiles';
import { type ModelCode, codeDirs, inCodeDirs } from '../server/src/core/truss/modelCode';
import { applyEdits } from './text';
import type { TrussAnswer } from '../server/src/core/truss/trussAnswer';

function found(c: RuleCase, text = c.text): Expectation[] {
  const a = analyze(text, {
    folder: IN_TRUSS,
    baseten: c.workspace && new BasetenSecrets(c.workspace),
    release: c.release,
    trussSays: c.says,
  });
  const { codes } = c;
  assert.equal(a.truss, true, 'detected as a Truss config');
  assert.deepEqual(a.internalErrors, []);
  return asExpectations(a.findings.filter((f) => codes.has(f.code)));
}

describe('rules (test/rules)', () => {
  for (const c of ruleCases()) {
    it(c.name, () => assert.deepEqual(found(c), c.expected));
    it(`${c.name} (CRLF)`, () => assert.deepEqual(found(c, c.text.replace(/\n/g, '\r\n')), c.expected));
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
      names.filter((n) => !cases.has(n)),
      [],
      'rules without a case',
    );
  });
});

describe('Truss folders: config.yaml and its model code (test/rules/*/trusses)', () => {
  for (const c of trussCases()) {
    for (const eol of ['\n', '\r\n']) {
      it(`${c.name}${eol === '\n' ? '' : ' (CRLF)'}`, () => {
        const config = c.config.replace(/\n/g, eol);
        const dirs = codeDirs(analyze(config).parsed.value);
        const files = c.files
          .filter((f) => inCodeDirs(f.path, dirs))
          .map((f) => ({ path: f.path, text: f.text.replace(/\n/g, eol) }));
        const a = analyze(config, { folder: IN_TRUSS, code: { files } });
        assert.equal(a.truss, true);
        assert.deepEqual(a.internalErrors, []);
        const codes = new Set(RULES.find((r) => r.name === c.rule)?.codes.map((x) => x.code));
        const mine = a.findings.filter((f) => codes.has(f.code));
        assert.deepEqual(asExpectations(mine.filter((f) => f.file === undefined)), c.expected, 'config.yaml');
        for (const f of c.files) {
          assert.deepEqual(asExpectations(mine.filter((x) => x.file === f.path)), f.expected, f.path);
        }
      });
    }
  }
});

describe('golden fixes (test/rules/*/fixes)', () => {
  for (const g of goldens()) {
    for (const eol of ['\n', '\r\n'] as const) {
      it(`${g.rule}/${g.name}${eol === '\n' ? '' : ' (CRLF)'}`, () => {
        const input = g.input.replace(/\n/g, eol);
        const names = workspaceSecrets(g.input);
        const a = analyze(input, { folder: IN_TRUSS, baseten: names && new BasetenSecrets(names) });
        const fix = [
          ...a.findings.filter((f) => f.code === g.code).flatMap((f) => fixesFor(a, f)),
          ...groupFixesFor(a, g.code),
        ].find((f) => f.title.includes(g.title));
        assert.ok(fix, `a fix "${g.title}" for ${g.code}`);
        const output = applyEdits(input, fix.edits);
        if (process.env.UPDATE_GOLDEN && eol === '\n') writeFileSync(g.outputFile, output);
        assert.equal(output, g.output.replace(/\n/g, eol));
      });
    }
  }
});

describe('fix safety, as each code declares it', () => {
  /** Every fix the cases, the goldens and the docs' examples get, by code: 'safe' or 'editor'. */
  function offered(): Map<string, Set<string>> {
    type Example = { text: string; names?: string[]; code?: ModelCode; release?: string; says?: TrussAnswer };
    const docs: Example[] = [...CODES.values()].map((c) => ({
      text: c.docs.bad,
      names: c.docs.workspaceSecrets,
      code: c.docs.python && { files: [{ path: c.docs.python.path, text: c.docs.python.bad }] },
      release: c.docs.release,
      says: c.docs.trussSays,
    }));
    const cases: Example[] = ruleCases().map((c) => ({
      text: c.text,
      names: c.workspace,
      release: c.release,
      says: c.says,
    }));
    const golden: Example[] = goldens().map((g) => ({ text: g.input, names: workspaceSecrets(g.input) }));
    const trusses: Example[] = trussCases().map((c) => ({ text: c.config, code: { files: c.files } }));
    const out = new Map<string, Set<string>>();
    for (const { text, names, code, release, says } of [...docs, ...cases, ...golden, ...trusses]) {
      const baseten = names && new BasetenSecrets(names);
      const a = analyze(text, { detect: 'always', baseten, code, release, trussSays: says });
      for (const f of a.findings) {
        for (const fix of [...fixesFor(a, f), ...groupFixesFor(a, f.code)]) {
          const kinds = out.get(f.code) ?? new Set();
          kinds.add(fix.safe && fix.preferred ? 'safe' : 'editor');
          out.set(f.code, kinds);
        }
      }
    }
    return out;
  }

  it('a code offers a fix exactly when it declares one, and a safe one when it declares it safe', () => {
    const got = offered();
    const wrong: string[] = [];
    for (const c of CODES.values()) {
      const kinds = got.get(c.code);
      if (!c.fix && kinds) wrong.push(`${c.code} offers a fix it does not declare`);
      if (c.fix && !kinds) wrong.push(`${c.code} declares a fix that no case or example gets`);
      if (c.fix === 'safe' && !kinds?.has('safe')) wrong.push(`${c.code} is declared safe, yet --fix applies nothing`);
    }
    assert.deepEqual(wrong, []);
  });

  it('a fix marked safe by a code declared editor-only is not safe', () => {
    const planted = defineRule({
      name: 'planted',
      codes: { 'planted-guess': code({ severity: 'warning', fix: 'editor', summary: 's', source: 's', docs }) },
      check() {},
      fixes: { 'planted-guess': () => [{ title: 'guess', edits: [], safe: true, preferred: true }] },
    });
    const finding = { code: 'planted-guess', severity: 'warning' as const, message: 'm', range: ZERO };
    const a = analyze('model_name: x\n');
    assert.equal(planted.fixes(finding, a)[0].safe, false);
  });
});

const ZERO = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const docs = { description: '', bad: '', good: '' };
