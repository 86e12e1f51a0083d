import { keyPaths } from '../core/yaml/query';
import type { ParsedDocument } from '../core/yaml/parse';
import type { Finding, Fix } from '../core/types';
import { type AnalyzeOptions, analyze } from './analyze';
import { applyFix, fixesFor } from './fixes';

export interface FixOutcome {
  code: string;
  /** 0-based line of the finding, in the text the outcome was decided on. */
  line: number;
  title: string;
}

export interface FixAllResult {
  text: string;
  applied: FixOutcome[];
  /** Findings with a fix that was not applied, and why. */
  skipped: Array<FixOutcome & { reason: string }>;
}

/**
 * Applies the fixes that are safe to apply without looking: preferred, marked safe, and checked
 * here one by one against the text they produce. A fix is refused when the YAML would no longer
 * load, when an error would appear that was not there, when a key would be lost that the fix did
 * not edit, or when two keys would end up with the same name. What is not applied is listed with
 * the reason. The checker's --fix and the editor's fix-all both use it.
 */
export function fixAll(source: string, options: AnalyzeOptions = {}): FixAllResult {
  let text = source;
  const applied: FixOutcome[] = [];
  const refused = new Map<string, FixOutcome & { reason: string }>();
  for (let round = 0; round < 50; round++) {
    const analysis = analyze(text, options);
    const before = snapshot(analysis.parsed, analysis.findings);
    let progress = false;
    for (const finding of analysis.findings) {
      const fix = fixesFor(analysis, finding).find((f) => f.preferred);
      if (!fix) continue;
      const outcome = { code: finding.code, line: finding.range.start.line, title: fix.title };
      const key = `${finding.code}\u0000${finding.message}\u0000${fix.title}`;
      if (!fix.safe) {
        refused.set(key, { ...outcome, reason: 'not sure to be what you mean: choose it in the editor' });
        continue;
      }
      const next = applyFix(analysis.parsed, fix);
      const reason = refusal(analysis.parsed, before, fix, next, options);
      if (reason) {
        refused.set(key, { ...outcome, reason });
        continue;
      }
      text = next;
      applied.push(outcome);
      refused.delete(key);
      progress = true;
      break; // the other findings' ranges are for the old text: analyse again
    }
    if (!progress) break;
  }
  // A refusal about a finding that a later fix made go away is moot; the others get their line now.
  const left = analyze(text, options).findings;
  const skipped: FixAllResult['skipped'] = [];
  for (const [key, s] of refused) {
    const [code, message] = key.split('\u0000');
    const f = left.find((x) => x.code === code && x.message === message) ?? left.find((x) => x.code === code);
    if (f) skipped.push({ ...s, line: f.range.start.line });
  }
  return { text, applied, skipped };
}

interface Snapshot {
  loads: boolean;
  errors: Map<string, number>;
  /** How often each key path occurs, and at which offsets. */
  keys: ReturnType<typeof keyPaths>;
}

function snapshot(parsed: ParsedDocument, findings: Finding[]): Snapshot {
  const errors = new Map<string, number>();
  for (const f of findings) if (f.severity === 'error') errors.set(f.code, (errors.get(f.code) ?? 0) + 1);
  return { loads: !parsed.problems.some((p) => p.severity === 'error'), errors, keys: keyPaths(parsed) };
}

/** Why the text a fix produces is not acceptable, or undefined. */
function refusal(
  parsed: ParsedDocument,
  before: Snapshot,
  fix: Fix,
  next: string,
  options: AnalyzeOptions,
): string | undefined {
  const after = analyze(next, options);
  const now = snapshot(after.parsed, after.findings);
  if (before.loads && !now.loads) return 'the YAML would no longer load';
  for (const [code, n] of now.errors) {
    if (n > (before.errors.get(code) ?? 0)) return `it would cause \`${code}\``;
  }
  // Keys the fix did not edit must all still be there, and no two keys may share a name.
  const edited = fix.edits.map((e) => [parsed.offset(e.range.start), parsed.offset(e.range.end)]);
  const touched = (offset: number) => edited.some(([s, e]) => s <= offset && offset <= e);
  const { counts, at } = before.keys;
  for (const [path, n] of counts) {
    const kept = now.keys.counts.get(path) ?? 0;
    const mayLose = (at.get(path) ?? []).filter(touched).length;
    if (kept < n - mayLose) return `it would lose the key \`${path.split('\u0000').join('.')}\``;
  }
  for (const [path, n] of now.keys.counts) {
    if (n > 1 && n > (counts.get(path) ?? 0)) {
      return `another \`${path.split('\u0000').pop()}\` is already there`;
    }
  }
  return undefined;
}
