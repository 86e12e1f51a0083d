/**
 * ParsedDocument.after (an edit inside one scalar reuses the earlier tree) must give exactly what a
 * parse anew gives: the same tree with the same positions, problems, value and findings. Seeded edits
 * on every config we have (the corpus too when it is beside us), one at a time and as typing runs.
 * REPARSE_EDITS=N: edits per file (default 12); REPARSE_SEED=N: other cases.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { visit } from 'yaml';
import { ParsedDocument } from '../../server/src/core/yaml/parse';
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
        nodes.push([n.constructor.name, n.range, x.type, x.source, value, n.tag, n.anchor, n.comment, x.flow]);
      },
    });
  }
  return { range: p.doc?.range, nodes, problems: p.problems, value: p.value, valueError: p.valueError };
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

  it('gives the findings of an analysis anew', () => {
    const r = rng(41 + SEED);
    for (const { name, text } of texts.slice(0, 150)) {
      const next = edit(text, r);
      const before = analyze(text);
      const after = analyze(next, { previous: before.parsed });
      assert.deepStrictEqual(after.findings, analyze(next).findings, name);
    }
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
    const broken = new ParsedDocument('a: [\n');
    assert.ok(!ParsedDocument.after(broken, 'a: [x\n').reused);
  });
});
