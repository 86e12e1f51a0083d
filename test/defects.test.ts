/** Defects a user found by trying to break the tool, one test each (issue 13). */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { analyze } from '../server/src/engine/analyze';
import { applyEdits } from '../server/src/engine/verify';
import { fixesFor } from '../server/src/engine/fixes';
import { hover } from '../server/src/features/hover';
import { ROOT } from './ruleFiles';
import { IN_TRUSS } from './annotations';
import { writeModelCode } from './lsp/client';

describe('defects found by hand', () => {
  it('`secrets` written as a list: the message says it must be a mapping', () => {
    const a = analyze(
      'model_name: m\nbase_image:\n  image: gcr.io/p/i:1\n  docker_auth:\n    auth_method: GCP_SERVICE_ACCOUNT_JSON\n' +
        '    registry: gcr.io\n    secret_name: sa\nsecrets:\n  - sa\n',
    );
    const missing = a.findings.find((f) => f.code === 'missing-secret')!;
    assert.match(missing.message, /`secrets` must be a mapping/);
    assert.doesNotMatch(missing.message, /add a `secrets:` section/);
  });

  it('hover on an empty DOCKER_REGISTRY_ name says what the name needs', () => {
    const a = analyze('model_name: m\nsecrets:\n  DOCKER_REGISTRY_: null\n', { folder: IN_TRUSS });
    const text = hover(a, { line: 2, character: 4 })!.markdown;
    assert.match(text, /needs its registry in the name/);
    assert.doesNotMatch(text, /``/);
  });

  it('a fix that would break the YAML (keys in the `? key` form) is not offered', () => {
    const text =
      'model_name: m\nbase_image:\n  image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/app:1\n  docker_auth:\n' +
      '    ? auth_method\n    : AWS_OIDC\n    ? registry\n    : 123456789012.dkr.ecr.us-west-2.amazonaws.com\n';
    const a = analyze(text);
    assert.ok(a.findings.some((f) => f.code === 'missing-method-field'));
    for (const f of a.findings) {
      for (const fix of fixesFor(a, f)) {
        const out = applyEdits(a, fix.edits)!;
        assert.ok(!parseAllDocuments(out).some((d) => d.errors.length), `${fix.title} keeps the YAML loading`);
      }
    }
  });

  it('SARIF names files relative to %SRCROOT%, percent-encoded', () => {
    const dir = mkdtempSync(join(tmpdir(), 'truss-sarif-'));
    mkdirSync(join(dir, 'a b#1'));
    writeFileSync(join(dir, 'a b#1', 'config.yaml'), 'model_name: 1\n');
    writeModelCode(join(dir, 'a b#1'));
    const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), '--format', 'sarif', '.'], {
      cwd: dir,
      encoding: 'utf8',
    });
    const log = JSON.parse(r.stdout) as {
      runs: Array<{ results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: unknown } }> }> }>;
    };
    assert.deepEqual(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation, {
      uri: 'a%20b%231/config.yaml',
      uriBaseId: '%SRCROOT%',
    });
  });
});
