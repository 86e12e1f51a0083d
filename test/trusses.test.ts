/**
 * The 376 real Truss folders of ../shared/trusses (config.yaml and its Python), checked as the checker
 * checks them: every finding about secrets in the model code was reviewed by hand, and the reviewed
 * list is the expectation, so a finding that appears or disappears fails. So do the reads of an
 * undeclared secret that a guard keeps quiet. Skipped when ../shared is absent.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { readConfig, readModelCode } from '../server/src/cli/check';
import { trussUses } from '../server/src/core/truss/secretUses';
import { codeDirs } from '../server/src/core/truss/modelCode';
import { analyze } from '../server/src/engine/analyze';
import { ROOT } from './ruleFiles';

const TRUSSES = join(ROOT, '..', 'shared', 'trusses', 'truss-examples');
const skip = existsSync(TRUSSES) ? false : `${TRUSSES} is absent`;

/**
 * Reviewed, one by one, against the folder's config and code:
 * - llama/llama-2-70b declares `hf_token` (with a placeholder value) and model.py reads
 *   `self._secrets["hf_access_token"]` unguarded in load(): the model raises SecretNotFound on Baseten,
 *   and `hf_token` is read by nothing (its model_cache has no runtime_secret_name).
 */
const FINDINGS = [
  'llama/llama-2-70b/config.yaml:31:3 unused-secret hf_token',
  'llama/llama-2-70b/model/model.py:24:51 undeclared-secret-read hf_access_token',
];

/**
 * Reads of a secret the config does not declare that a guard keeps from raising, reviewed: the six
 * model files of the shared README, each behind `"x" in self._secrets._base_secrets` (the TRT-LLM
 * ones, whose configs declare `secrets: {}`) or `if self._secrets and "x" in self._secrets` (midnight,
 * ngram-speculator: the `in` and the subscript under it). None is reported.
 */
const GUARDED = [
  'midnight/model/model.py:66:31 hf_access_token if',
  'midnight/model/model.py:67:53 hf_access_token if',
  'mistral/mixtral-8x7b-instruct-trt-llm/model/model.py:34:46 hf_access_token if',
  'mistral/mixtral-8x7b-instruct-trt-llm-h100/model/model.py:32:46 hf_access_token if',
  'mistral/mixtral-8x7b-instruct-trt-llm-weights-only-quant-h100/model/model.py:32:46 hf_access_token if',
  'ngram-speculator/truss/model/model.py:27:31 hf_access_token if',
  'ngram-speculator/truss/model/model.py:28:53 hf_access_token if',
  'templates/trt-llm/model/model.py:32:46 hf_access_token if',
];

function configs(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) configs(p, out);
    else if (e.name === 'config.yaml') out.push(p);
  }
  return out;
}

describe('the model code of ../shared/trusses', () => {
  it('finds exactly the reviewed findings, and no finding on a guarded read', { skip }, () => {
    const findings: string[] = [];
    const guarded: string[] = [];
    let trusses = 0;
    let files = 0;
    let reads = 0;
    for (const file of configs(TRUSSES)) {
      const text = readConfig(file);
      const first = analyze(text);
      if (!first.truss) continue;
      trusses++;
      const code = readModelCode(file, codeDirs(first.parsed.value));
      files += code.files.length;
      const a = analyze(text, { code });
      const base = relative(TRUSSES, join(file, '..'));
      const at = (path: string) => (base ? `${base}/${path}` : path);
      for (const f of a.findings) {
        if (f.code !== 'undeclared-secret-read' && f.code !== 'unused-secret') continue;
        const name = (f.data as { name: string }).name;
        const where = at(f.file ?? 'config.yaml');
        findings.push(`${where}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.code} ${name}`);
      }
      for (const u of trussUses(a.parsed, a.facts, code).uses) {
        if (!u.read || !u.file) continue;
        reads++;
        if (u.read.guard && !a.facts.secretNames.has(u.name)) {
          const pos = `${u.range.start.line + 1}:${u.range.start.character + 1}`;
          guarded.push(`${at(u.file)}:${pos} ${u.name} ${u.read.guard}`);
        }
      }
    }
    const summary = `${trusses} Truss configs, ${files} Python files, ${reads} reads, ${findings.length} findings`;
    console.log(summary);
    assert.ok(trusses > 300, summary);
    assert.deepEqual(findings, FINDINGS, summary);
    assert.deepEqual(guarded, GUARDED, summary);
  });
});
