/**
 * ARCHITECTURE.md's invariant "no credential is ever repeated", as a property: canary credentials of
 * every known shape are planted in scalar positions of our configs (values, secret names, keys), and
 * none may appear in a diagnostic message or its data, a fix title, a completion, a hover or an outline
 * symbol. test/lsp/canary.test.ts scans every byte the server writes over a session for the same.
 * Seeded: the same cases on every run.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseDocument, visit, type Scalar } from 'yaml';
import { analyze } from '../server/src/engine/analyze';
import { toGithub, toJson, toSarif, toText } from '../server/src/cli/formats';
import { applyEdits } from '../server/src/engine/verify';
import { fixesFor, groupFixesFor, suppressFix } from '../server/src/engine/fixes';
import { complete } from '../server/src/features/complete';
import { hover } from '../server/src/features/hover';
import { outline, type OutlineSymbol } from '../server/src/features/symbols';
import { CANARIES } from './canaries';
import { ROOT, goldens, ruleCases } from './ruleFiles';

/** A small seeded generator (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function documents(): Array<{ name: string; text: string }> {
  const dir = (d: string) =>
    readdirSync(join(ROOT, d), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => ({ name: `${d}/${f}`, text: readFileSync(join(ROOT, d, f), 'utf8') }));
  return [
    ...ruleCases(),
    ...goldens().map((g) => ({ name: g.name, text: g.input })),
    ...dir('examples'),
    ...dir('test/mutation'),
    // INVARIANT_CORPUS=1: the corpus's configs too (a longer run).
    ...(process.env.INVARIANT_CORPUS ? dir('../shared/corpus') : []),
  ];
}

/** Offsets of the plain or quoted scalars (keys and values) of a text. */
function scalars(text: string): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  const doc = parseDocument(text, { version: '1.1', uniqueKeys: false });
  visit(doc, {
    Scalar(_, node: Scalar) {
      if (!node.range || node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') return;
      if (typeof node.value !== 'string' && typeof node.value !== 'number' && node.value !== null) return;
      if (node.range[1] > node.range[0]) out.push({ start: node.range[0], end: node.range[1] });
    },
  });
  return out;
}

/**
 * Everything a user can read about one text: messages, fix titles, the text a fix would add, completions,
 * hovers, the outline, and the checker's output in every format.
 */
function shown(text: string, at: number, needle: string): string[] {
  const a = analyze(text, { detect: 'always' });
  const out: string[] = [];
  const copies = (t: string) => t.split(needle).length - 1;
  const result = { file: 'config.yaml', checked: true, findings: a.findings, internalErrors: [] };
  out.push(toText([result]), toJson([result]), toSarif([result], '0'), toGithub([result]));
  for (const f of a.findings) {
    out.push(f.message, JSON.stringify(f.data ?? null));
    for (const fix of fixesFor(a, f)) {
      out.push(fix.title);
      // An edit may keep a value where it is (quoting it), never write it anywhere else.
      if (copies(applyEdits(a, fix.edits)!) > copies(text)) out.push(`the fix "${fix.title}" writes ${needle}`);
    }
    const s = suppressFix(a, f);
    if (s) out.push(s.title);
  }
  for (const code of new Set(a.findings.map((f) => f.code))) {
    for (const fix of groupFixesFor(a, code)) out.push(fix.title);
  }
  const pos = a.parsed.position(at);
  const lines = new Set([pos.line, pos.line + 1]);
  for (const line of lines) {
    const end = a.parsed.offset({ line: line + 1, character: 0 }) - a.parsed.offset({ line, character: 0 });
    for (const character of [0, 2, 4, Math.max(0, end - 1)]) {
      for (const c of complete(a, { line, character }))
        out.push(c.label, c.detail ?? '', c.documentation ?? '', c.filterText ?? '', c.insertText);
    }
  }
  const h = hover(a, pos);
  if (h) out.push(h.markdown);
  const names = (symbols: OutlineSymbol[]): void => {
    for (const s of symbols) {
      out.push(s.name);
      names(s.children);
    }
  };
  names(outline(a));
  return out;
}

describe('no credential is ever repeated', () => {
  it('canaries planted in every kind of scalar never reach a message, data, fix, completion, hover or symbol', () => {
    const rand = random(11);
    let planted = 0;
    const leaks: string[] = [];
    for (const doc of documents()) {
      const spots = scalars(doc.text);
      // INVARIANT_SPOTS scalars per file, 8 by default; `all` for every scalar.
      const every = process.env.INVARIANT_SPOTS === 'all';
      const count = every ? spots.length : Math.min(Number(process.env.INVARIANT_SPOTS ?? 8), spots.length);
      for (let n = 0; n < count; n++) {
        const spot = every ? spots[n] : spots[Math.floor(rand() * spots.length)];
        const canary = CANARIES[planted % CANARIES.length];
        planted++;
        const text = doc.text.slice(0, spot.start) + JSON.stringify(canary.planted) + doc.text.slice(spot.end);
        for (const s of shown(text, spot.start, canary.needle)) {
          if (s.includes(canary.needle))
            leaks.push(`${doc.name} (${canary.kind} at ${spot.start}): ${s.slice(0, 100)}`);
        }
      }
      // And as the name of a secret that docker_auth reads, and a declared secret.
      const canary = CANARIES[planted++ % CANARIES.length];
      const name = JSON.stringify(canary.planted);
      const text =
        `${doc.text}\nbase_image:\n  image: gcr.io/p/i:1\n  docker_auth:\n    auth_method: GCP_SERVICE_ACCOUNT_JSON\n` +
        `    secret_name: ${name}\nsecrets:\n  ${name}: v\n`;
      for (const s of shown(text, text.indexOf('secret_name'), canary.needle)) {
        if (s.includes(canary.needle)) leaks.push(`${doc.name} (${canary.kind} as a secret name): ${s.slice(0, 100)}`);
      }
    }
    assert.ok(planted > 300, `${planted} canaries planted`);
    console.log(`canaries: ${planted} planted, ${leaks.length} leaks`);
    assert.deepEqual(leaks, []);
  });

  it("a finding whose data is redacted still gets its rule's fixes, from the data the rule reported", () => {
    const token = CANARIES[0].planted;
    const text = `model_name: m\nsecrets:\n  ${token}: hunter2-secret-value\n`;
    const a = analyze(text, { detect: 'always' });
    const f = a.findings.find((x) => x.code === 'secret-literal-value')!;
    assert.deepEqual(f.data, { name: '[a credential]' });
    const [fix] = fixesFor(a, f);
    assert.ok(fix, 'a fix');
    assert.ok(!fix.title.includes(CANARIES[0].needle), fix.title);
    assert.equal(applyEdits(a, fix.edits), `model_name: m\nsecrets:\n  ${token}: null\n`);
  });

  it('the search finds a canary where one is shown', () => {
    const text = `model_name: m\nenvironment_variables:\n  X: ${JSON.stringify(CANARIES[0].planted)}\n`;
    assert.ok(shown(text, 0, CANARIES[0].needle).some((s) => s.includes('credential-in-env')));
    assert.ok(CANARIES.every((c) => `…${c.planted}…`.includes(c.needle)));
  });
});
