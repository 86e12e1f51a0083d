import { redactCredentials } from '../core/truss/credentials';
import { type AnalyzeOptions, analyze } from './analyze';
import { RULE_OF } from './rules';
import { verify } from './verify';

export interface FixOutcome {
  code: string;
  /** 0-based line of the finding, in the text the outcome was decided on. */
  line: number;
  title: string;
  /** The model code file of the finding, relative to the config's folder; absent: the config. */
  file?: string;
}

export interface FixAllResult {
  text: string;
  applied: FixOutcome[];
  /** Findings with a fix that was not applied, and why. */
  skipped: Array<FixOutcome & { reason: string }>;
}

/**
 * Applies the fixes that are safe to apply without looking: preferred, of a code declared safe, and
 * verified one by one against their intent (engine/verify.ts: the loaded value changes only as the fix
 * says, no comment is lost, the finding goes, no error appears). What is not applied is listed with the
 * reason. The checker's --fix and the editor's fix-all both use it.
 */
export function fixAll(source: string, options: AnalyzeOptions = {}): FixAllResult {
  let text = source;
  const applied: FixOutcome[] = [];
  const refused = new Map<string, FixOutcome & { reason: string }>();
  for (let round = 0; round < 50; round++) {
    const analysis = analyze(text, options);
    let progress = false;
    for (const finding of analysis.findings) {
      const fix = RULE_OF.get(finding.code)
        ?.fixes(finding, analysis)
        .find((f) => f.preferred);
      if (!fix) continue;
      const outcome = {
        code: finding.code,
        line: finding.range.start.line,
        title: redactCredentials(fix.title),
        ...(finding.file === undefined ? {} : { file: finding.file }),
      };
      const key = `${finding.code}\u0000${finding.message}\u0000${fix.title}`;
      // --fix and fix-all write the config only: a fix that edits the model code is the editor's.
      if (!fix.safe || fix.files) {
        refused.set(key, { ...outcome, reason: 'not sure to be what you mean: choose it in the editor' });
        continue;
      }
      const verdict = verify(analysis, fix, [finding], options);
      if (verdict.refused || verdict.text === undefined) {
        refused.set(key, { ...outcome, reason: verdict.refused ?? 'its edits overlap' });
        continue;
      }
      text = verdict.text;
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
