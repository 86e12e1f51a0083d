/**
 * The edit verifier (engine/verify.ts): planted broken fixes it must refuse, each for its reason, a
 * correct one it accepts; and renames, which it guards too, on exact uses.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Analysis } from '../../server/src/core/analysis';
import type { Change, Fix, Position } from '../../server/src/core/types';
import { analyze } from '../../server/src/engine/analyze';
import { fixesFor } from '../../server/src/engine/fixes';
import { fixAll } from '../../server/src/engine/fixAll';
import { verify } from '../../server/src/engine/verify';
import { rename } from '../../server/src/features/navigation';
import { applyEdits } from '../text';
import { IN_TRUSS } from '../annotations';

const CONFIG = `# the model
model_name: m   # its name
description: &d shared
base_image:
  image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/app:1
  docker_auth:
    auth_method: AWS_OIDC
    aws_oidc_role_arn: arn:aws:iam::123456789012:role/baseten
    aws_oidc_region: us-west-2
environment_variables:
  NOTE: *d
`;

/** A planted fix for the analysis of CONFIG: edits on the text, with an intent. */
function planted(a: Analysis, edits: Array<[string, string]>, intent: Change[] = []): Fix {
  const text = a.parsed.text;
  return {
    title: 'planted',
    intent,
    edits: edits.map(([from, to]) => {
      const start = text.indexOf(from);
      assert.ok(start >= 0, from);
      return { range: a.parsed.range(start, start + from.length), newText: to };
    }),
  };
}

const registryMissing = (a: Analysis) => a.findings.filter((f) => f.code === 'registry-missing');

describe('the edit verifier', () => {
  const a = analyze(CONFIG);
  const add = (extra: string): [string, string] => [
    '    aws_oidc_region: us-west-2\n',
    `    aws_oidc_region: us-west-2\n${extra}`,
  ];
  const registry = ['base_image', 'docker_auth', 'registry'];
  const host = '123456789012.dkr.ecr.us-west-2.amazonaws.com';
  const refused = (fix: Fix) => verify(a, fix, registryMissing(a)).refused;

  it('accepts a fix that does what it says', () => {
    assert.equal(registryMissing(a).length, 1);
    assert.equal(refused(planted(a, [add(`    registry: ${host}\n`)], [{ path: registry, to: host }])), undefined);
  });

  it('refuses a fix that changes a value outside its intent', () => {
    const fix = planted(
      a,
      [add(`    registry: ${host}\n`), ['model_name: m', 'model_name: n']],
      [{ path: registry, to: host }],
    );
    assert.equal(refused(fix), 'it would change a value it does not mean to');
  });

  it('refuses a fix that does not set what it says', () => {
    assert.equal(
      refused(planted(a, [add('    registry: elsewhere.io\n')], [{ path: registry, to: host }])),
      'it would not set what it says',
    );
  });

  it('refuses a fix that drops a comment', () => {
    const fix = planted(
      a,
      [add(`    registry: ${host}\n`), ['model_name: m   # its name', 'model_name: m']],
      [{ path: registry, to: host }],
    );
    assert.equal(refused(fix), 'it would drop a comment');
  });

  it('refuses overlapping edits', () => {
    const fix = planted(
      a,
      [
        ['model_name: m', 'model_name: x'],
        ['name: m', 'name: y'],
      ],
      [],
    );
    assert.equal(refused(fix), 'its edits overlap');
  });

  it('refuses a fix whose finding stays', () => {
    assert.equal(refused(planted(a, [['# the model', '# the model!']], [])), 'it would drop a comment');
    assert.equal(
      refused(planted(a, [['model_name: m', 'model_name:  m']], [])),
      '`registry-missing` would still be reported',
    );
  });

  it('refuses a fix that brings an error, or breaks the YAML', () => {
    const typo = planted(
      a,
      [add(`    registry: ${host}\n    regstry: x\n`)],
      [{ path: registry, to: host }, { path: ['base_image', 'docker_auth', 'regstry'] }],
    );
    assert.equal(refused(typo), 'it would cause `unknown-key`');
    const broken = planted(a, [add(`    registry: ${host}\n  : [\n`)], [{ path: registry, to: host }]);
    assert.equal(refused(broken), 'the YAML would no longer load');
  });

  it('refuses a fix on an anchored value that would change its alias', () => {
    // Rewriting the anchored scalar without its anchor leaves the alias with nothing to point at.
    const fix = planted(a, [add(`    registry: ${host}\n`), ['&d shared', 'shared']], [{ path: registry, to: host }]);
    assert.ok(refused(fix));
    const quoted = planted(
      a,
      [add(`    registry: ${host}\n`), ['&d shared', '&d "shared2"']],
      [
        { path: registry, to: host },
        { path: ['description'], to: 'shared2' },
      ],
    );
    assert.equal(refused(quoted), 'it would change a value it does not mean to', 'the alias changes too');
  });

  it('refuses a real fix that fixes nothing: `!!str <token>` set to `!!str null`', () => {
    const text = 'model_name: m\nsecrets:\n  hf_access_token: !!str hf_abcdefghijklmnopqrstuvwxyz0123456789\n';
    const b = analyze(text, { folder: IN_TRUSS });
    const literal = b.findings.find((f) => f.code === 'secret-literal-value');
    assert.ok(literal);
    assert.deepEqual(fixesFor(b, literal), [], 'the string "null" is not null: not offered');
    const r = fixAll(text, { folder: IN_TRUSS });
    assert.equal(r.text, text);
    assert.deepEqual(
      r.skipped.map((s) => [s.code, s.reason]),
      [['secret-literal-value', 'it would not set what it says']],
    );
  });

  it('--fix no longer deletes a duplicate key the user wrote (editor only now)', () => {
    const text = 'model_name: m\nresources:\n  cpu: "1"   # first try\nresources:\n  cpu: "2"\n';
    assert.equal(fixAll(text).text, text);
  });
});

describe('renames on exact uses', () => {
  const at = (a: Analysis, needle: string, nth = 0): Position => {
    let i = -1;
    for (let k = 0; k <= nth; k++) i = a.parsed.text.indexOf(needle, i + 1);
    return a.parsed.position(i + 1);
  };

  it('edits each /secrets/<name> read on name boundaries, never the prefix of a longer name', () => {
    const text =
      'model_name: m\nsecrets:\n  hf_token: null\n  hf_token_v2: null\ndocker_server:\n' +
      '  start_command: sh -c "cat /secrets/hf_token_v2 /run/secrets/hf_token && cat /secrets/hf_token"\n' +
      '  server_port: 8000\n  predict_endpoint: /p\n  readiness_endpoint: /r\n  liveness_endpoint: /l\n';
    const a = analyze(text);
    const r = rename(a, at(a, 'hf_token: null'), 'hf_read');
    assert.ok('edits' in r, JSON.stringify(r));
    const out = applyEdits(text, r.edits);
    assert.match(out, /cat \/secrets\/hf_token_v2 \/run\/secrets\/hf_token && cat \/secrets\/hf_read"/);
    assert.match(out, /\n {2}hf_read: null\n {2}hf_token_v2: null\n/);
  });

  it('refuses a new name Baseten stores as one with a declared secret, or an invalid one', () => {
    const text = 'model_name: m\nsecrets:\n  hf_token: null\n  hf-access: null\n';
    const a = analyze(text, { folder: IN_TRUSS });
    const here = at(a, 'hf_token');
    assert.deepEqual(rename(a, here, 'hf_access'), {
      refused: 'Baseten stores `hf_access` and the declared `hf-access` as one secret.',
    });
    assert.deepEqual(rename(a, here, 'hf-access'), { refused: '`hf-access` is already declared under `secrets`.' });
    assert.ok('refused' in rename(a, here, 'has space'));
    assert.ok('edits' in rename(a, here, 'hf-token'), 'the same Baseten secret as itself is fine');
  });
});

describe('fixes verified at the release the file is judged by', () => {
  it("refuses a rename to a key the user's truss does not know", () => {
    const text =
      'model_name: m\nbase_image:\n  image: x/y:1\n  docker_auth:\n    auth_method: AWS_IAM\n    registri: x\n';
    const titles = (release?: string) => {
      const a = analyze(text, { release });
      const finding = a.findings.find((f) => f.code === 'unknown-key');
      assert.ok(finding, a.findings.map((f) => f.code).join());
      return fixesFor(a, finding).map((f) => f.title);
    };
    assert.ok(
      titles().some((t) => /registry/.test(t)),
      titles().join(),
    );
    // `registry` is known since the oldest release; `aws_oidc_region` from 0.13.2 only.
    const oidc =
      'model_name: m\nbase_image:\n  image: x/y:1\n  docker_auth:\n    auth_method: AWS_IAM\n    aws_oidc_regoin: x\n';
    const at = (release?: string) => {
      const a = analyze(oidc, { release });
      const finding = a.findings.find((f) => f.code === 'unknown-key');
      return finding ? fixesFor(a, finding).map((f) => f.title) : [];
    };
    assert.ok(
      at().some((t) => /aws_oidc_region/.test(t)),
      `newest: ${at().join()}`,
    );
    assert.ok(!at('0.13.1').some((t) => /aws_oidc_region/.test(t)), `0.13.1: ${at('0.13.1').join()}`);
  });
});
