/**
 * ParsedDocument.after (an edit inside one scalar, or of whole lines inside one block collection, reuses
 * the earlier tree) must give exactly what a parse anew gives: the same tree with the same positions,
 * comments, problems, value and findings. Seeded edits on every config we have (the corpus too when it
 * is beside us), one at a time and as runs: typing, and whole lines added, pasted, deleted, commented.
 * REPARSE_EDITS=N: edits per file (default 12); REPARSE_SEED=N: other cases.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { visit } from 'yaml';
import { ParsedDocument, leftOpen } from '../../server/src/core/yaml/parse';
import { analyze } from '../../server/src/engine/analyze';
import { CORPUS, rng } from '../configDiff';
import { ROOT } from '../ruleFiles';

const EDITS = Number(process.env.REPARSE_EDITS ?? 12);
const SEED = Number(process.env.REPARSE_SEED ?? 0);

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => join(dir, f));
}

const texts = [
  ...yamlFiles(join(ROOT, 'examples')),
  ...yamlFiles(join(ROOT, 'test', 'rules')),
  ...yamlFiles(CORPUS),
].map((f) => ({ name: f.slice(ROOT.length - 4), text: readFileSync(f, 'utf8') }));

/** Everything a parse tells: each node with its positions, the problems, the value. */
function dump(p: ParsedDocument): unknown {
  const nodes: unknown[] = [];
  if (p.doc) {
    visit(p.doc, {
      Node(_, n) {
        const x = n as { type?: string; source?: string; value?: unknown; flow?: boolean };
        const value = typeof x.value === 'object' ? undefined : x.value;
        const around = [n.comment, n.commentBefore, n.spaceBefore || undefined];
        nodes.push([n.constructor.name, n.range, x.type, x.source, value, n.tag, n.anchor, x.flow, ...around]);
      },
    });
  }
  const comments = [p.doc?.commentBefore, p.doc?.comment];
  return { range: p.doc?.range, comments, nodes, problems: p.problems, value: p.value, valueError: p.valueError };
}

/** An edit inside one line: typed characters, a deletion or a replacement. */
function edit(text: string, r: () => number): string {
  const lines = text.split('\n');
  const i = Math.floor(r() * lines.length);
  const line = lines[i];
  const at = Math.floor(r() * (line.length + 1));
  const alphabet = 'abcxyz019 _-./:#"\'&*!%@[]{},?|>\\\t\uffff\ud800\u0085\u00e9';
  const typed = Array.from({ length: 1 + Math.floor(r() * 3) }, () =>
    r() < 0.7 ? 'abcdefgh0123456789'[Math.floor(r() * 18)] : alphabet[Math.floor(r() * alphabet.length)],
  ).join('');
  const cut = r() < 0.4 ? Math.floor(r() * 3) : 0;
  lines[i] = line.slice(0, at) + (r() < 0.3 && cut ? '' : typed) + line.slice(at + cut);
  return lines.join('\n');
}

const KINDS = ['enter', 'key', 'paste', 'delete', 'comment', 'uncomment', 'replace'] as const;

/**
 * A whole-line edit of one kind at a random line (the first and the last too): Enter (a blank line, at
 * the line's indentation or none), a new key line, a block of lines from another config (re-indented
 * to the line's indentation, deeper or shallower), deleted lines, a line commented out or back in, a
 * line replaced by another config's.
 */
function lineEdit(text: string, kind: (typeof KINDS)[number], r: () => number): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(eol);
  const pick = (n: number) => Math.floor(r() * n);
  const i = r() < 0.1 ? (r() < 0.5 ? 0 : lines.length - 1) : pick(lines.length);
  const indentOf = (l: string) => /^ */.exec(l)![0];
  const near = lines[i + (r() < 0.5 ? 0 : 1)] ?? lines[i];
  const indent = [indentOf(near), indentOf(lines[i]), indentOf(near) + '  ', indentOf(near).slice(2), ''][
    r() < 0.7 ? 0 : pick(5)
  ];
  const at = i + (r() < 0.8 ? 1 : 0);
  const other = texts[pick(texts.length)].text.split(/\r?\n/);
  switch (kind) {
    case 'enter':
      lines.splice(at, 0, r() < 0.6 ? indent : '');
      break;
    case 'key':
      lines.splice(at, 0, `${indent}${r() < 0.2 ? '- ' : ''}new_key_${pick(99)}: ${r() < 0.5 ? pick(9) : 'x y'}`);
      break;
    case 'paste': {
      const from = pick(other.length);
      const block = other.slice(from, from + 1 + pick(6));
      const min = Math.min(...block.filter((l) => l.trim()).map((l) => indentOf(l).length));
      lines.splice(at, 0, ...block.map((l) => (l.trim() ? indent + l.slice(Number.isFinite(min) ? min : 0) : l)));
      break;
    }
    case 'delete':
      lines.splice(i, 1 + (r() < 0.7 ? 0 : pick(3)));
      break;
    case 'comment':
      lines[i] = `${indentOf(lines[i])}# ${lines[i].trimStart()}`;
      break;
    case 'uncomment': {
      const commented = lines.map((l, k) => (/^ *# ?/.test(l) ? k : -1)).filter((k) => k >= 0);
      const k = commented.length ? commented[pick(commented.length)] : i;
      lines[k] = lines[k].replace(/^( *)# ?/, '$1');
      break;
    }
    case 'replace':
      lines[i] = other[pick(other.length)];
      break;
  }
  return lines.join(eol);
}

/** Some of the texts, in CRLF or without their last line break, for the edges of whole-line edits. */
function variant(text: string, r: () => number): string {
  const x = r();
  return x < 0.1 ? text.replace(/\r?\n/g, '\r\n') : x < 0.2 ? text.replace(/\r?\n$/, '') : text;
}

describe('parsing an edited text from the earlier tree', () => {
  it('gives what parsing anew gives, edit by edit', () => {
    const r = rng(17 + SEED);
    let reused = 0;
    let cases = 0;
    for (const { name, text } of texts) {
      for (let k = 0; k < EDITS; k++) {
        const next = edit(text, r);
        const after = ParsedDocument.after(new ParsedDocument(text), next);
        const fresh = new ParsedDocument(next);
        cases++;
        if (after.reused) reused++;
        assert.deepStrictEqual(dump(after), dump(fresh), `${name}: ${JSON.stringify(next)}`);
      }
    }
    // Most edits land in a scalar: the tree must be reused for many of them, or this test tests nothing.
    assert.ok(reused > cases / 4, `reused ${reused} of ${cases}`);
  });

  it('gives what parsing anew gives while typing, each version from the one before', () => {
    const r = rng(29 + SEED);
    let reused = 0;
    let versions = 0;
    for (const { name, text } of texts.slice(0, 400)) {
      const lines = text.split('\n');
      const candidates = lines.map((l, i) => (/^\s*(?:- )?[\w-]+:\s+\S/.test(l) ? i : -1)).filter((i) => i >= 0);
      if (!candidates.length) continue;
      const i = candidates[Math.floor(r() * candidates.length)];
      let parsed = new ParsedDocument(text);
      let current = text;
      for (let k = 0; k < 16; k++) {
        const next = current.split('\n');
        const line = next[i];
        const colon = line.indexOf(':');
        // Mostly in the value, sometimes anywhere in the line.
        const at =
          r() < 0.8 ? colon + 1 + Math.floor(r() * (line.length - colon)) : Math.floor(r() * (line.length + 1));
        next[i] =
          r() < 0.75
            ? line.slice(0, at) + 'ab1-_./ :#?"\'x'[Math.floor(r() * 15)] + line.slice(at)
            : line.slice(0, Math.max(0, at - 1)) + line.slice(at);
        current = next.join('\n');
        parsed = ParsedDocument.after(parsed, current);
        versions++;
        if (parsed.reused) reused++;
        assert.deepStrictEqual(dump(parsed), dump(new ParsedDocument(current)), `${name}: ${JSON.stringify(next[i])}`);
      }
    }
    // Relative to what ran: a clone without ../shared types in far fewer files.
    assert.ok(versions > 0 && reused > versions / 4, `reused ${reused} of ${versions}`);
  });

  it('gives what parsing anew gives after whole lines added, pasted, deleted or commented', () => {
    const r = rng(53 + SEED);
    const count = Object.fromEntries(KINDS.map((k) => [k, { cases: 0, reused: 0 }]));
    for (const { name, text: original } of texts) {
      const text = variant(original, r);
      for (let k = 0; k < EDITS; k++) {
        const kind = KINDS[k % KINDS.length];
        const next = lineEdit(text, kind, r);
        const after = ParsedDocument.after(new ParsedDocument(text), next);
        count[kind].cases++;
        if (after.reused) count[kind].reused++;
        assert.deepStrictEqual(
          dump(after),
          dump(new ParsedDocument(next)),
          `${name} (${kind}): ${JSON.stringify(next)}`,
        );
      }
    }
    if (process.env.REPARSE_REPORT) console.log(JSON.stringify(count));
    // Reuse must happen for every kind, or this test tests nothing. The shares hold without ../shared
    // too, where only our own configs are edited (a commented line: often a key moves, 4-10% reused).
    for (const kind of KINDS) {
      const { cases, reused } = count[kind];
      assert.ok(
        reused > cases / (kind === 'replace' || kind === 'uncomment' || kind === 'comment' ? 40 : 6),
        `${kind}: reused ${reused} of ${cases}`,
      );
    }
  });

  it('gives what parsing anew gives over runs of whole-line edits, each version from the one before', () => {
    const r = rng(67 + SEED);
    let reused = 0;
    let versions = 0;
    // Versions whose earlier one loads: a tree with problems is never reused.
    let clean = 0;
    for (const { name, text: original } of texts.slice(0, 300)) {
      let current = variant(original, r);
      let parsed = new ParsedDocument(current);
      for (let k = 0; k < 12; k++) {
        // Mostly whole lines, sometimes typing in a line, as an editing session goes.
        current = r() < 0.8 ? lineEdit(current, KINDS[Math.floor(r() * KINDS.length)], r) : edit(current, r);
        if (!parsed.problems.length) clean++;
        parsed = ParsedDocument.after(parsed, current);
        versions++;
        if (parsed.reused) reused++;
        assert.deepStrictEqual(dump(parsed), dump(new ParsedDocument(current)), `${name}: ${JSON.stringify(current)}`);
      }
    }
    // 21% without ../shared, more with the corpus.
    assert.ok(versions > 0 && reused > clean / 8, `reused ${reused} of ${clean} (${versions} versions)`);
    if (process.env.REPARSE_REPORT) console.log(JSON.stringify({ versions, clean, reused }));
  });

  it('reuses the tree for each kind of whole-line edit, and refuses where the lines could read otherwise', () => {
    const text =
      'trt_llm:\n  build:\n    checkpoint_repository:\n      repo: org/model\n      source: HF\n' +
      '  inference_stack: v2\n' +
      'model_name: m\nsecrets:\n  a: null\n  b: null\nrequirements:\n  - torch\n  - numpy\n\n' +
      'environment_variables:\n  A: "1"\n\n  B: "2"\nresources:\n  cpu: "1"\n  memory: 2Gi';
    const reused = [
      ['Enter', '  a: null\n', '  a: null\n  \n'],
      ['a new key line', '  b: null\n', '  b: null\n  c: null\n'],
      ['a pasted block', '  - numpy\n', '  - numpy\n  - name: x\n    v: 1\n  - pandas\n'],
      ['a deleted line', '  A: "1"\n', ''],
      ['a line commented out', '  a: null\n', '  # a: null\n'],
      ['the last line of a collection commented out', '  B: "2"\n', '  # B: "2"\n'],
      ['Enter at the end of a collection', '  B: "2"\n', '  B: "2"\n  \n'],
      ['a blank line removed after a collection', '  - numpy\n\n', '  - numpy\n'],
      ['a blank line removed', '\n\n  B', '\n  B'],
      ['a line at the end of a file without a line break', 'memory: 2Gi', 'memory: 2Gi\n  gpu: 1'],
      ['a line that continues a plain scalar', 'model_name: m\n', 'model_name: m\n  more\n'],
    ];
    const refused = [
      ['a block scalar', '  b: null\n', '  b: |\n    x\n'],
      ['an anchor', '  b: null\n', '  b: &x null\n'],
      ['a line indented out of its collection', '  cpu: "1"\n', '  cpu: "1"\nmodel_name: n\n'],
      ['an explicit key', '      source: HF\n', '    ?  source: HF\n'],
      ['a comment and a blank line ending a collection', '  B: "2"\n', '  # B: "2"\n\n'],
      ['a blank line after an empty value ending a collection', '  b: null\n', '  b:\n\n'],
    ];
    for (const [what, from, to] of [...reused, ...refused]) {
      const next = text.replace(from, to);
      assert.notEqual(next, text, what);
      const after = ParsedDocument.after(new ParsedDocument(text), next);
      assert.deepStrictEqual(dump(after), dump(new ParsedDocument(next)), what);
      assert.equal(
        after.reused,
        reused.some(([w]) => w === what),
        what,
      );
    }
  });

  it('gives the findings of an analysis anew after whole-line edits', () => {
    const r = rng(79 + SEED);
    for (const { name, text } of texts.slice(0, 200)) {
      const kind = KINDS[Math.floor(r() * KINDS.length)];
      const next = lineEdit(text, kind, r);
      const after = analyze(next, { previous: analyze(text).parsed });
      assert.deepStrictEqual(after.findings, analyze(next).findings, `${name} (${kind})`);
    }
  });

  it('gives the findings of an analysis anew', () => {
    const r = rng(41 + SEED);
    for (const { name, text } of texts.slice(0, 150)) {
      const next = edit(text, r);
      const before = analyze(text);
      const after = analyze(next, { previous: before.parsed });
      assert.deepStrictEqual(after.findings, analyze(next).findings, name);
    }
  });

  it('reuses the last clean tree after broken versions, and gives what parsing anew gives', () => {
    const r = rng(97 + SEED);
    let cases = 0;
    let reused = 0;
    for (const { name, text } of texts.slice(0, 300)) {
      const lines = text.split('\n');
      const at = lines.findIndex((l) => /^\s*[\w-]+:\s+\w/.test(l) && !/[#&*!|>]/.test(l));
      const clean = new ParsedDocument(text);
      if (at < 0 || clean.problems.length || clean.extraDocuments.length) continue;
      // A `[` typed at the value's start breaks the YAML; then some typing while broken; then the `[`
      // deleted (back to the clean text, or that line edited further), or more lines added.
      const broken = [...lines];
      broken[at] = broken[at].replace(/:\s+/, (m) => `${m}[`);
      let parsed = ParsedDocument.after(clean, broken.join('\n'));
      if (!parsed.problems.length) continue;
      if (r() < 0.5) {
        broken[at] += 'x';
        parsed = ParsedDocument.after(parsed, broken.join('\n'));
      }
      const repaired = [...lines];
      const how = Math.floor(r() * 3);
      if (how === 1) repaired[at] += 'y';
      if (how === 2) repaired.splice(at + 1, 0, repaired[at].replace(/\S.*/, ''));
      const next = repaired.join('\n');
      const after = ParsedDocument.after(parsed, next);
      cases++;
      if (after.reused) reused++;
      assert.deepStrictEqual(dump(after), dump(new ParsedDocument(next)), `${name} (${how})`);
      // The clean tree is spent now: the next version is made from the repaired one only.
      const again = ParsedDocument.after(parsed, next);
      assert.ok(!again.reused, name);
    }
    assert.ok(cases > 0 && reused > cases / 2, `reused ${reused} of ${cases}`);
    const big = 'a: 1\nb:\n  c: "x"\n';
    const first = new ParsedDocument(big);
    const broken = ParsedDocument.after(first, big.replace('"x"', '["x"'));
    assert.ok(broken.problems.length && !broken.reused);
    const back = ParsedDocument.after(broken, big);
    assert.ok(back.reused);
    assert.deepStrictEqual(dump(back), dump(new ParsedDocument(big)));
  });

  it('refuses a bracket or a quote left open before parsing the lines alone', () => {
    const open = ['a: [', '- {a: [1, 2]', 'a: [x, "]"', "a: ['it''s]'", 'a: [ # ]', '  a: [\n  b: 1\n', 'a: "x'];
    const closed = ['a: [x]', 'a: "["', "a: '[''x'", 'a: b # [', 'a: {b: [1]}', 'a: "\\"["', '# [\na: 1\n'];
    const plain = ["a: don't", 'a: x # "y', 'a: "multi\n  line"\n', "a:'b"];
    for (const t of open) assert.equal(leftOpen(t), true, t);
    for (const t of [...closed, ...plain]) assert.equal(leftOpen(t), false, t);
  });

  it('reuses a tree once only, and never one with problems', () => {
    const text = 'model_name: a\nresources:\n  cpu: "1"\n';
    const first = new ParsedDocument(text);
    const second = ParsedDocument.after(first, text.replace('a\n', 'ab\n'));
    assert.ok(second.reused);
    assert.equal(second.doc?.contents && second.value && (second.value as { model_name: string }).model_name, 'ab');
    assert.ok(!ParsedDocument.after(first, text.replace('a\n', 'abc\n')).reused);
    // A key deleted down to nothing: `yaml` puts the empty key elsewhere when the line is not alone.
    const keyed = 'a: 1\nb:\n  x: "1"\n  y: 2\n';
    const emptied = keyed.replace('  y: 2', '  : 2');
    assert.deepStrictEqual(
      dump(ParsedDocument.after(new ParsedDocument(keyed), emptied)),
      dump(new ParsedDocument(emptied)),
    );
    // Typed at the very end of a file with no line break at its end: the collections end there too.
    for (const typed of ['6', 'g{', ' x']) {
      const last = 'a: 1\nruntime:\n  predict_concurrency: 48';
      const after = ParsedDocument.after(new ParsedDocument(last), last + typed);
      assert.deepStrictEqual(dump(after), dump(new ParsedDocument(last + typed)), typed);
    }
    // Blank lines that end the text are the document's: a key line written over them moves its end.
    const blankEnd =
      'model_name: my-model\nbase_image:\n  image: ghcr.io/acme/private:latest\nsecrets:\n  a: null\n  b: null\n\n';
    const keyed2 = blankEnd.replace(/\n\n$/, '\n  tags:\n');
    assert.deepStrictEqual(
      dump(ParsedDocument.after(new ParsedDocument(blankEnd), keyed2)),
      dump(new ParsedDocument(keyed2)),
    );
    const broken = new ParsedDocument('a: [\n');
    assert.ok(!ParsedDocument.after(broken, 'a: [x\n').reused);
  });
});
