/**
 * ARCHITECTURE.md's invariant "a fix never loses a line it did not target", as a property over our
 * configs, the corpus and their mutants: after fix-all the file loads as before, has no new error,
 * loses no key but those a fix renamed or removed, gains no duplicate key, and a second run changes
 * nothing.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { analyze } from '../server/src/engine/analyze';
import { fixAll } from '../server/src/engine/fixAll';
import { fixesFor } from '../server/src/engine/fixes';
import { CORPUS, loadSeeds, mutateOnce, rng, textOf } from './configDiff';
import { ROOT, goldens, ruleCases } from './ruleFiles';
import { IN_TRUSS } from './annotations';

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? yamlFiles(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** Mutants of the corpus's configs (test/configDiff.ts): FIXALL_MUTANTS of them, 200 by default. */
function mutants(): Array<{ name: string; text: string }> {
  if (!existsSync(join(CORPUS, 'truss-verdicts.jsonl'))) return [];
  const seeds = loadSeeds();
  const r = rng(Number(process.env.FIXALL_SEED ?? 7));
  return Array.from({ length: Number(process.env.FIXALL_MUTANTS ?? 200) }, (_, i) => {
    const { config, ops } = mutateOnce(seeds, r);
    return { name: `mutant ${i} (${ops.join(', ')})`, text: textOf(config) };
  });
}

function documents(): Array<{ name: string; text: string }> {
  const files = (d: string) =>
    yamlFiles(d).map((f) => ({ name: f.slice(ROOT.length + 1), text: readFileSync(f, 'utf8') }));
  return [
    ...ruleCases(),
    ...goldens().map((g) => ({ name: g.name, text: g.input })),
    ...files(join(ROOT, 'examples')),
    ...files(join(ROOT, 'test', 'mutation')),
    ...files(join(ROOT, '..', 'shared', 'corpus')),
    ...mutants(),
  ];
}

function keys(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (n: unknown, path: string): void => {
    if (isMap(n)) {
      for (const p of n.items) {
        const k = `${path}/${isScalar(p.key) ? String(p.key.value) : '?'}`;
        out.set(k, (out.get(k) ?? 0) + 1);
        walk(p.value, k);
      }
    } else if (isSeq(n)) n.items.forEach((item, i) => walk(item, `${path}/${i}`));
  };
  walk(parseDocument(text, { version: '1.1', uniqueKeys: false }).contents, '');
  return out;
}

const errors = (text: string) => {
  const m = new Map<string, number>();
  for (const f of analyze(text).findings) if (f.severity === 'error') m.set(f.code, (m.get(f.code) ?? 0) + 1);
  return m;
};

describe('fix-all (the checker’s --fix)', () => {
  it('never loses a key it did not target, never adds an error, and is done in one run', () => {
    const problems: string[] = [];
    let fixed = 0;
    const docs = documents();
    for (const doc of docs) {
      for (const text of [doc.text, doc.text.replace(/\r?\n/g, '\r\n')]) {
        const result = fixAll(text);
        if (!result.applied.length) continue;
        fixed++;
        const before = errors(text);
        for (const [code, n] of errors(result.text)) {
          if (n > (before.get(code) ?? 0)) problems.push(`${doc.name}: a new ${code}`);
        }
        const k0 = keys(text);
        const k1 = keys(result.text);
        // A key renamed (hf_cache → model_cache) moves with its subtree: it is not lost.
        const gained = [...k1].filter(([k, n]) => n > (k0.get(k) ?? 0)).map(([k]) => k.split('/'));
        const moved = (k: string) => {
          const s = k.split('/');
          return gained.some((g) => g.length === s.length && g.filter((x, i) => x !== s[i]).length === 1);
        };
        let lost = 0;
        for (const [k, n] of k0) if (!moved(k)) lost += Math.max(0, n - (k1.get(k) ?? 0));
        if (lost > result.applied.length)
          problems.push(`${doc.name}: lost ${lost} keys with ${result.applied.length} fixes`);
        for (const [k, n] of k1) if (n > 1 && n > (k0.get(k) ?? 0)) problems.push(`${doc.name}: a second ${k}`);
        if (fixAll(result.text).applied.length) problems.push(`${doc.name}: a second run fixes more`);
        if (text.includes('\r\n') && /[^\r]\n/.test(result.text)) problems.push(`${doc.name}: a line ending changed`);
      }
    }
    assert.ok(fixed > 20, `${fixed} files fixed`);
    console.log(`fix-all: ${docs.length} files, ${fixed} fixed (LF and CRLF), ${problems.length} problems`);
    assert.deepEqual(problems, []);
  });

  it('renames one of three Docker Hub secrets, and loses none', () => {
    const text =
      'model_name: m\nbase_image:\n  image: python:3.11\nsecrets:\n  DOCKER_REGISTRY_docker.io: null\n' +
      '  DOCKER_REGISTRY_index.docker.io: null\n  DOCKER_REGISTRY_ghcr.io: null\n';
    const result = fixAll(text);
    assert.deepEqual(
      result.applied.map((a) => a.code),
      ['registry-secret-mismatch'],
    );
    for (const name of ['DOCKER_REGISTRY_https://index.docker.io/v1/', 'DOCKER_REGISTRY_index.docker.io', 'ghcr.io']) {
      assert.ok(result.text.includes(name), name);
    }
  });

  it('leaves a guess to the user, and says why', () => {
    const mismatch =
      'model_name: m\nbase_image:\n  image: gcr.io/p/i:1\n  docker_auth:\n    auth_method: GCP_OIDC\n' +
      '    registry: us-docker.pkg.dev\n    gcp_oidc_service_account: a\n    gcp_oidc_workload_id_provider: b\n';
    const r = fixAll(mismatch);
    assert.equal(r.text, mismatch, 'which of registry and image is wrong is a guess');
    assert.deepEqual(
      r.skipped.map((s) => [s.code, s.line]),
      [['registry-mismatch', 5]],
    );
    const memory = 'model_name: m\nresources:\n  memory: 2048\n';
    assert.equal(fixAll(memory, { folder: IN_TRUSS }).text, memory, 'a bare number has no unit to guess');
    const a = analyze(memory, { folder: IN_TRUSS });
    const titles = a.findings.flatMap((f) => fixesFor(a, f)).map((f) => f.title);
    assert.deepEqual(titles, ['Change to `2048Mi`', 'Change to `2Gi`', 'Change to `2048Gi`']);
  });
});
