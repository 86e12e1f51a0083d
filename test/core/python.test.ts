/** core/python: the secret reads of a Python file, their ranges and guards, and the cache by text. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { pythonParses, pythonSecrets } from '../../server/src/core/python/secretReads';
import { analyze } from '../../server/src/engine/analyze';

const reads = (text: string) =>
  pythonSecrets(text).reads.map((r) => `${r.kind} ${r.name} ${text.slice(r.from, r.to)} ${r.guard ?? '-'}`);

const HEAD = 'class Model:\n    def __init__(self, **kwargs):\n        self._secrets = kwargs["secrets"]\n\n';
const init = (body: string) => `${HEAD}    def load(self):\n${body}`;

describe('core/python: secret reads', () => {
  it('finds each form, with the exact range of the name', () => {
    const text = init(
      '        a = self._secrets["a"]\n' +
        "        b = self._secrets.get('b', None)\n" +
        '        c = "c" in self._secrets\n' +
        '        d = "d" not in self._secrets\n' +
        '        e = open("/secrets/e/x").read()\n' +
        '        f = os.environ["TRUSS_SECRET_f"]\n',
    );
    assert.deepEqual(reads(text), ['subscript a a -', 'get b b -', 'in c c -', 'in d d -', 'path e e -', 'env f f -']);
  });

  it('follows bindings: locals, attributes, aliases, the secrets parameter, a direct read', () => {
    const text =
      'class Model:\n' +
      '    def __init__(self, data_dir, config, secrets):\n' +
      '        s = secrets\n' +
      '        self._s = s\n' +
      '        x = s["one"]\n' +
      '    def load(self):\n' +
      '        y = self._s["two"]\n' +
      '        z = s["not_bound_here"]\n' +
      'class Other:\n' +
      '    def __init__(self, **kw):\n' +
      '        t = kw["secrets"]["three"]\n';
    assert.deepEqual(reads(text), ['subscript one one -', 'subscript two two -', 'subscript three three -']);
  });

  it('skips what is not the mapping or not a plain literal', () => {
    const text = init(
      '        a = self._config["x"]\n' +
        '        b = self._secrets[name]\n' +
        '        c = self._secrets["esc\\\\aped"]\n' +
        '        d = self._secrets[f"fmt{x}"]\n' +
        '        # e = self._secrets["in_a_comment"]\n' +
        '        f = "/run/secrets/g"\n',
    );
    assert.deepEqual(reads(text), []);
    assert.equal(pythonSecrets(text).opaque, true, 'a read by a variable cannot be followed');
  });

  it('marks guards: try, if on the mapping, len, _base_secrets, and-chains, conditional expressions', () => {
    const text = init(
      '        try:\n            a = self._secrets["a"]\n        except SecretNotFound:\n            pass\n' +
        '        try:\n            b = self._secrets["b"]\n        except KeyError:\n            pass\n' +
        '        if len(self._secrets):\n            c = self._secrets["c"]\n        else:\n' +
        '            d = self._secrets["d"]\n' +
        '        e = self._secrets and self._secrets["e"]\n' +
        '        f = self._secrets["f"] if self._secrets else None\n' +
        '        if "g" in self._secrets._base_secrets:\n            g = self._secrets["g"]\n',
    );
    assert.deepEqual(reads(text), [
      'subscript a a try',
      'subscript b b -',
      'subscript c c if',
      'subscript d d -',
      'subscript e e if',
      'subscript f f if',
      'subscript g g if',
    ]);
  });

  it('marks a read through a fallback binding', () => {
    const text = init('        a = self._f["a"]\n').replace(
      'self._secrets = kwargs["secrets"]',
      'self._f = kwargs.get("secrets") or {}',
    );
    assert.deepEqual(
      pythonSecrets(text).reads.map((r) => [r.name, r.fallback]),
      [['a', true]],
    );
  });

  it('reads a half-typed file (the parser recovers)', () => {
    const text = init('        a = self._secrets["a"]\n        b = self._secrets[\n        def broken(:\n');
    assert.deepEqual(reads(text).slice(0, 1), ['subscript a a -']);
  });
});

describe('core/python: parsed once per text', () => {
  const model = init('        a = self._secrets["hf_access_token"]\n'.repeat(200));
  const config = 'model_name: m\nsecrets:\n  hf_access_token: null\nrequirements:\n- torch==2.0.1\n';

  it('a config keystroke parses no Python file again', () => {
    const code = { files: [{ path: 'model/model.py', text: model }] };
    analyze(config, { code });
    const before = pythonParses();
    let previous = analyze(config, { code }).parsed;
    for (let i = 0; i < 50; i++) {
      previous = analyze(config.replace('2.0.1', `2.0.${i}`), { code, previous }).parsed;
    }
    assert.equal(pythonParses(), before);
    pythonSecrets(`${model}\n# edited\n`);
    assert.equal(pythonParses(), before + 1, 'a new text of the file is parsed');
  });

  it('timings: a 2,000-line model file; a config keystroke with and without model code', () => {
    let big = '';
    for (let n = 0; big.split('\n').length < 2000; n++) {
      big +=
        `class Helper${n}:\n    def __init__(self, **kwargs):\n        self._secrets = kwargs["secrets"]\n` +
        `    def load(self):\n        token = self._secrets["hf_access_token"]\n` +
        `        if self._secrets and "w" in self._secrets:\n            key = self._secrets.get("w")\n` +
        `        try:\n            o = self._secrets["o_${n}"]\n        except Exception:\n            o = None\n` +
        `        for i in range(10):\n            x = [j * 2 for j in range(i) if j % 3]\n` +
        `            y = {"a": i, "b": x, "c": f"v {i}"}\n        return token, o, x, y\n\n`;
    }
    const median = (f: (i: number) => void, n: number) => {
      const t: number[] = [];
      for (let i = 0; i < n; i++) {
        const s = performance.now();
        f(i);
        t.push(performance.now() - s);
      }
      return t.sort((a, b) => a - b)[n >> 1];
    };
    for (let i = 0; i < 3; i++) pythonSecrets(`${big}# warm ${i}\n`);
    const parse = median((i) => pythonSecrets(`${big}# ${i}\n`), 11);
    const code = { files: [{ path: 'model/model.py', text: big }] };
    const keystroke = (opts: { code?: typeof code }) => {
      let previous = analyze(config, opts).parsed;
      return median((i) => {
        previous = analyze(config.replace('2.0.1', `2.0.${i % 7}`), { ...opts, previous }).parsed;
      }, 101);
    };
    keystroke({});
    const without = keystroke({});
    const withCode = keystroke({ code });
    const lines = big.split('\n').length;
    console.log(
      `python: ${lines} lines parsed and read in ${parse.toFixed(1)} ms; config keystroke ` +
        `${without.toFixed(2)} ms without model code, ${withCode.toFixed(2)} ms with it`,
    );
    assert.ok(parse < 500, `${parse} ms`);
  });
});
