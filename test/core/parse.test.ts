/** ParsedDocument reads a file as truss's PyYAML loader does: values, load failures and their places. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { PYYAML_DEPTH, ParsedDocument } from '../../server/src/core/yaml/parse';

const errors = (text: string) =>
  new ParsedDocument(text).problems.filter((p) => p.severity === 'error').map((p) => p.message);
const value = (text: string) => {
  const p = new ParsedDocument(text);
  assert.deepEqual(errors(text), [], 'loads');
  return p.value;
};

describe('ParsedDocument, as PyYAML reads YAML', () => {
  it('builds the standard tags as SafeLoader does', () => {
    assert.deepEqual(
      value('a: !!float 1\nb: !!int "0x1F"\nc: !!bool "on"\nd: !!null x\ne: !!str 3\nf: !!binary aGVsbG8=\n'),
      { a: 1, b: 31, c: true, d: null, e: '3', f: 'hello' },
    );
    assert.deepEqual(value('a: !!set {x, y}\n'), { a: new Set(['x', 'y']) });
    assert.deepEqual(value('a: !!omap [x: 1, x: 2]\n'), {
      a: [
        ['x', 1],
        ['x', 2],
      ],
    });
    assert.deepEqual(value('a: ! 12\n'), { a: 12 }, 'the non-specific tag resolves as a plain scalar');
    const ts = value('a: 2001-12-14t21:59:43.10-05:00\nb: 2001-12-14\n') as Record<string, Date>;
    assert.equal(ts.a.toISOString(), '2001-12-15T02:59:43.100Z');
    assert.equal(ts.b.toISOString(), '2001-12-14T00:00:00.000Z');
  });

  it('resolves YAML 1.1 plain scalars with PyYAML’s patterns', () => {
    assert.deepEqual(value('a: [yes, n, 0755, 08, 1:30, 1e3, 1.0e+3, -.5, ._, .inf, 0b101, 1_000, ~, =x]\n'), {
      a: [true, 'n', 493, '08', 90, '1e3', 1000, '-.5', '._', Infinity, 5, 1000, null, '=x'],
    });
  });

  it('fails where SafeLoader cannot build a value, and builds no value then', () => {
    for (const text of [
      'a: 2001-13-45\n',
      'a: 0b_\n',
      'a: !!int x\n',
      'a: !!binary é\n',
      'a: =\n',
      'a: <<\n',
      'a: !!set [x]\n',
      'a: !!omap [x]\n',
      '- !!map\n',
      '? [a]\n: 1\n',
      'a: &x 1\nb: *x\nc: &x 2\n',
      '%model_name: x\n',
      '\ufeff%FOO bar\n',
    ]) {
      const p = new ParsedDocument(text);
      assert.equal(errors(text).length, 1, text);
      assert.equal(p.value, undefined, text);
      assert.ok(p.valueError, text);
    }
  });

  it('keeps the first of equal keys and the last value, as a Python dict does', () => {
    assert.deepEqual(value('1: a\ntrue: b\n1.0: c\n~: d\n'), { 1: 'c', null: 'd' });
  });

  it('reads a flow collection or a quoted scalar whatever the indentation of its lines', () => {
    const text = 'a:\n  b: {\n"c": [1,\n2],\n}\nd: "e\nf"\n';
    assert.deepEqual(value(text), { a: { b: { c: [1, 2] } }, d: 'e f' });
    const p = new ParsedDocument(text);
    assert.deepEqual(p.nodeRange(p.rootMap!.items[1].value as never), {
      start: { line: 5, character: 3 },
      end: { line: 6, character: 2 },
    });
    // A quote at the start of an under-indented line is the scalar's text, not a new scalar.
    const quoted = "a:\n  s: 'bash -c\n \"x\n --a\"'\nm:\n  - '1'\n  - '2'\n";
    assert.deepEqual(value(quoted), { a: { s: 'bash -c "x --a"' }, m: ['1', '2'] });
    // An under-indented line of blanks and a tab inside a quoted scalar is an empty line of it.
    assert.deepEqual(value('a:\n  s: "x\n \t\n y"\n'), { a: { s: 'x\ny' } });
  });

  it('ends an anchor or alias name where PyYAML does', () => {
    assert.deepEqual(value('r:\n  cpu: "1"\n  &gpu: true\n'), { r: { cpu: '1', null: true } });
    assert.deepEqual(value('a: [&x, b]\n'), { a: [null, 'b'] });
  });

  it('reads line breaks, byte order marks and the end of the file as PyYAML does', () => {
    assert.deepEqual(value('\ufeffa: 1\r\nb: 2\rc: 3\n'), { a: 1, b: 2, c: 3 }, 'a lone CR is a line break');
    assert.deepEqual(value('\ufeff\ufeffa: 1\n'), { '\ufeffa': 1 }, 'only the first byte order mark is skipped');
    assert.deepEqual(value('# c\n\ufeffa: 1\n'), { '\ufeffa': 1 });
    assert.deepEqual(value('a: |\n  x\n  y'), { a: 'x\ny' }, 'no line break after the last line');
    assert.deepEqual(value('a: [1, 2]#c\n'), { a: [1, 2] }, '# right after a bracket starts a comment');
    assert.deepEqual(value('a: {"b":#c\n  , d: [?e: 1]}\n'), { a: { b: null, d: [{ e: 1 }] } }, '`?` starts a key');
    assert.equal(errors('--- |\nx\n').length, 1, 'a top-level block scalar needs indented lines');
  });

  it('breaks lines at NEL, LS and PS as PyYAML does, keeping LS and PS in the text', () => {
    assert.deepEqual(value('a: x\x85b: y\n'), { a: 'x', b: 'y' });
    assert.deepEqual(value('a: x # note\u2028b: 1\n'), { a: 'x', b: 1 }, 'a comment ends at LS');
    assert.deepEqual(value('a: x\u2028  y\n'), { a: 'x\u2028y' }, 'LS is not folded to a space');
    assert.deepEqual(value('a: x\x85  y\n'), { a: 'x y' }, 'NEL is folded as LF is');
    assert.deepEqual(value('a: "x\u2029\n y"\n'), { a: 'x\u2029\ny' });
    assert.deepEqual(value("a: 'x \u2028  y'\n"), { a: 'x\u2028y' });
    assert.deepEqual(value('a: |\n  x\u2028  y\n'), { a: 'x\u2028y\n' });
    assert.deepEqual(value('a: >\n  x\u2029  y\n  z\n'), { a: 'x\u2029y z\n' });
    // The editor's lines end at CR and LF only: positions stay on them.
    const p = new ParsedDocument('a: 1\u2028b: !Ref x\n');
    assert.deepEqual(p.problems[0].range.start, { line: 0, character: 8 });
  });

  it("reads a block scalar at its key's column as the key's value, as PyYAML does", () => {
    assert.deepEqual(value('a:\n|\n line\nb: 1\n'), { a: 'line\n', b: 1 });
    assert.deepEqual(value('- a:\n  >-\n   x\n   y\n'), [{ a: 'x y' }]);
  });

  it('fails where PyYAML runs out of Python stack: collections nested about 490 deep', () => {
    const deep = (n: number) => 'a: ' + '['.repeat(n) + ']'.repeat(n) + '\n';
    assert.deepEqual(errors(deep(400)), []);
    assert.equal(new ParsedDocument(deep(400)).depth, 401);
    assert.match(errors(deep(PYYAML_DEPTH))[0], /nested 495 deep/);
  });

  it('points at the tab, the tag, the anchor and the alias', () => {
    const at = (text: string) => new ParsedDocument(text).problems.map((p) => [p.range.start, p.range.end]);
    const pos = (line: number, character: number) => ({ line, character });
    assert.deepEqual(at('a:\t1\n'), [[pos(0, 2), pos(0, 3)]]);
    assert.deepEqual(at('a: !Ref x\n'), [[pos(0, 3), pos(0, 7)]]);
    assert.deepEqual(at('a: &x 1\nb: &x 2\n'), [[pos(1, 3), pos(1, 5)]]);
    assert.deepEqual(at('a: *x\n'), [[pos(0, 3), pos(0, 5)]]);
    assert.deepEqual(at('a:\r\n  <<: {b: 1}\r\n'), [[pos(1, 2), pos(1, 4)]]);
  });

  it('stops at its own limits: aliases that expand too far, an alias inside its own anchor', () => {
    let text = 'a: &a [x, x, x, x, x, x, x, x, x]\n';
    for (const [n, prev] of [...'bcdefgh'].map((c, i) => [c, 'abcdefgh'[i]])) {
      text += `${n}: &${n} [${Array(9).fill(`*${prev}`).join(', ')}]\n`;
    }
    const bomb = new ParsedDocument(text);
    assert.equal(bomb.value, undefined);
    assert.match(bomb.valueError!, /billion laughs/);
    const loop = new ParsedDocument('a: &a [*a]\n');
    assert.equal(loop.value, undefined);
    assert.match(loop.valueError!, /refers to a node that contains it/);
  });
});
