/**
 * Suppressions come from comment tokens only (core/suppress.ts): a `# truss-config-disable` line inside
 * a block scalar or a quoted scalar is text, and silences nothing.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/engine/analyze';

/** `line:code` of each finding, 0-based lines. */
function codes(text: string): string[] {
  return analyze(text, { detect: 'always' }).findings.map((f) => `${f.range.start.line}:${f.code}`);
}

const HEAD = 'model_name: m\npython_version: py311\n';

describe('suppressions from comment tokens only', () => {
  const text = [
    ['a literal block scalar', 'description: |\n  # truss-config-disable\n  text\n'],
    ['a literal block scalar, next line', 'description: |\n  # truss-config-disable-next-line unknown-key\n'],
    ['a folded block scalar', 'description: >\n  # truss-config-disable unknown-key\n  text\n'],
    ['a kept block scalar with an indentation indicator', 'description: |2+\n    # truss-config-disable\n\n'],
    ['a folded block scalar, stripped', 'description: >-\n  text\n\n  # truss-config-disable\n'],
    ['a double-quoted scalar over lines', 'description: "first\n  # truss-config-disable\n  last"\n'],
    ['a single-quoted scalar over lines', "description: 'first\n  # truss-config-disable unknown-key\n  last'\n"],
    ['a double-quoted scalar on one line', 'description: "see # truss-config-disable #"\n'],
    ['a single-quoted scalar on one line', "description: 'x # truss-config-disable-next-line unknown-key'\n"],
    ['a block scalar in a list', 'build_commands:\n  - |\n    # truss-config-disable\n    echo\n'],
  ];
  for (const [where, scalar] of text) {
    it(`a suppression inside ${where} is text: it silences nothing`, () => {
      const doc = `${HEAD}${scalar}foo: 1\n`;
      const line = doc.split('\n').indexOf('foo: 1');
      assert.deepEqual(codes(doc), [`${line}:unknown-key`]);
    });
  }

  it('real comments still silence: next line and the whole file, after a block scalar too', () => {
    assert.deepEqual(codes(`${HEAD}# truss-config-disable-next-line unknown-key\nfoo: 1\nbar: 2\n`), ['4:unknown-key']);
    assert.deepEqual(codes(`${HEAD}foo: 1\nbar: 2\n# truss-config-disable unknown-key\n`), []);
    assert.deepEqual(codes(`${HEAD}foo: 1 # truss-config-disable\n`), []);
    const after = `${HEAD}description: |\n  text\n# truss-config-disable-next-line unknown-key\nfoo: 1\n`;
    assert.deepEqual(codes(after), []);
    const flow = `${HEAD}requirements: [a==1, # truss-config-disable unknown-key\n  b==2]\nfoo: 1\n`;
    assert.deepEqual(codes(flow), []);
  });

  it('unused-suppression still reports a real comment that silences nothing, at its place', () => {
    const doc =
      `${HEAD}description: "# truss-config-disable"\n` + '# truss-config-disable-next-line unknown-key\nsecrets: {}\n';
    const a = analyze(doc, { detect: 'always' });
    assert.deepEqual(
      a.findings.map((f) => [f.range.start.line, f.range.start.character, f.range.end.character, f.code]),
      [[3, 0, 44, 'unused-suppression']],
    );
  });
});
