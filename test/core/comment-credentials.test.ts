/**
 * Credentials in comments (`credential-in-comment`): `truss push` uploads config.yaml as it is, so a
 * token in a comment is reported at its exact range, and the message never repeats it.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { credentialSpans, looksLikeCredential } from '../../server/src/core/truss/credentials';
import { analyze } from '../../server/src/engine/analyze';
import { CANARIES } from '../canaries';
import { ROOT } from '../ruleFiles';

/** The lines of a canary as comments: a private key is one comment per line. */
function asComments(planted: string, indent = ''): string {
  return planted
    .split('\n')
    .map((l) => `${indent}# was: ${l} (rotated)`)
    .join('\n');
}

describe('credentials in comments', () => {
  it('credentialSpans covers each canary shape exactly where it is, and finds what looksLikeCredential finds', () => {
    for (const c of CANARIES) {
      for (const line of c.planted.split('\n')) {
        const text = `see ${line}, then`;
        const spans = credentialSpans(text);
        assert.equal(spans.length > 0, looksLikeCredential(text), `${c.kind}: ${line}`);
        if (!line.includes(c.needle)) continue;
        const at = text.indexOf(c.needle);
        assert.ok(
          spans.some((s) => s.start <= at && s.end >= at + c.needle.length),
          `${c.kind}: ${JSON.stringify(spans)} in ${text}`,
        );
        assert.ok(
          spans.every((s) => s.start >= 4 && s.end <= 4 + line.length),
          `${c.kind}: a span leaves the token: ${JSON.stringify(spans)} in ${text}`,
        );
      }
    }
    // The password of a URL, and the key after its name: not what surrounds them.
    const url = '# https://builder:Q7vX2mK9pL4wR8tY@pypi.example.com/simple';
    assert.deepEqual(
      credentialSpans(url).map((s) => url.slice(s.start, s.end)),
      ['Q7vX2mK9pL4wR8tY'],
    );
    const aws = '# aws_secret_access_key = q7VX2mK9/pL4wR8tY1nB+6cF3hJ5sD0gZaWs2Xe4';
    assert.deepEqual(
      credentialSpans(aws).map((s) => aws.slice(s.start, s.end)),
      ['q7VX2mK9/pL4wR8tY1nB+6cF3hJ5sD0gZaWs2Xe4'],
    );
    const padded = `# docker: ${Buffer.from('user:password1').toString('base64')}`;
    assert.deepEqual(
      credentialSpans(padded).map((s) => padded.slice(s.start, s.end)),
      ['dXNlcjpwYXNzd29yZDE='],
    );
  });

  it('ids, hashes, model names and URL paths in comments are not credentials', () => {
    for (const text of [
      '# 123e4567-e89b-12d3-a456-426614174000',
      '# sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      '# Qwen3-235B-A22B-Instruct-2507, MyModelClass2024, meta-llama/Llama-3.1-8B-Instruct',
      '# https://huggingface.co/org/m/resolve/4Xk9vQ2mLp4RtY7nB1cF3hJ5s/config.json',
      '#image: vllm/vllm-openai:cu130-nightly-5bff999d12dd061c102381b0c9c5d364c5953ea2',
    ]) {
      assert.deepEqual(credentialSpans(text), [], text);
    }
  });

  it('every canary in a comment of every example config: reported at the token, never repeated', () => {
    const examples = readdirSync(join(ROOT, 'examples'))
      .filter((e) => e !== 'not-a-truss-config')
      .map((e) => readFileSync(join(ROOT, 'examples', e, 'config.yaml'), 'utf8'));
    assert.ok(examples.length >= 4);
    let reported = 0;
    for (const [i, c] of CANARIES.entries()) {
      const base = examples[i % examples.length];
      for (const [where, text] of [
        ['a comment line', `${asComments(c.planted)}\n${base}`],
        ['a comment after a value', base.replace(/\n/, ` ${asComments(c.planted).split('\n').join('\n')}\n`)],
        ['an indented comment', `${base}secrets:\n${asComments(c.planted, '  ')}\n  hf_access_token: null\n`],
      ]) {
        const a = analyze(text, { detect: 'always' });
        const found = a.findings.filter((f) => f.code === 'credential-in-comment');
        assert.ok(found.length > 0, `${c.kind} in ${where}`);
        reported += found.length;
        const covered = found.some((f) => {
          const [s, e] = [a.parsed.offset(f.range.start), a.parsed.offset(f.range.end)];
          const at = text.indexOf(c.needle);
          return s <= at && e >= at + c.needle.length;
        });
        assert.ok(covered, `${c.kind} in ${where}: the range covers the token`);
        for (const f of a.findings) assert.ok(!f.message.includes(c.needle), `${c.kind}: ${f.message}`);
      }
    }
    assert.ok(reported >= CANARIES.length * 3);
  });

  it('a token in a block or quoted scalar is a value (credential-in-config), not a comment', () => {
    const token = 'ghp_Q7vX2mK9pL4wR8tY1nB6cF3hJ5sD0gZabcde';
    for (const text of [
      `model_name: m\ndescription: |\n  # ${token}\n`,
      `model_name: m\ndescription: "x # ${token}"\n`,
    ]) {
      const codes = analyze(text, { detect: 'always' }).findings.map((f) => f.code);
      assert.deepEqual(codes, ['credential-in-config'], text);
    }
  });
});
