import { RULES, CODES } from '../rules';
import { DetectMode, isTrussConfig } from './detect';
import { ConfigFacts, collectFacts } from './facts';
import { asTrussSees } from './normalize';
import { ParsedDocument } from './parse';
import { makeReporter } from './rule';
import { applySuppressions } from './suppress';
import { Finding, Severity } from './types';

export interface AnalyzeOptions {
  detect?: DetectMode;
  /** Severity per code, or `off`: from settings or the checker's --config. */
  rules?: Record<string, Severity | 'off'>;
}

/** Everything known about one version of a document: shared by every feature. */
export interface Analysis {
  parsed: ParsedDocument;
  facts: ConfigFacts;
  /** False for a config.yaml that is not a Truss config: it gets no findings. */
  truss: boolean;
  findings: Finding[];
  /** Rules that threw (a bug of ours): the other rules still ran. */
  internalErrors: Array<{ rule: number; error: unknown }>;
}

export function analyze(text: string, options: AnalyzeOptions = {}): Analysis {
  const parsed = new ParsedDocument(text);
  const facts = collectFacts(parsed);
  // A file too large to parse cannot be recognised by its keys: say why it is not checked.
  const truss = parsed.tooLarge ? options.detect !== 'never' : isTrussConfig(parsed, options.detect);
  let findings: Finding[] = [];
  const internalErrors: Analysis['internalErrors'] = [];
  if (truss) {
    const raw = parsed.value;
    const value = raw === undefined ? undefined : asTrussSees(raw);
    const ctx = { parsed, facts, value, report: makeReporter(CODES, findings) };
    RULES.forEach((rule, i) => {
      try {
        rule.check(ctx);
      } catch (error) {
        internalErrors.push({ rule: i, error });
      }
    });
    findings = applySuppressions(parsed, findings, CODES, options.rules);
    findings.sort(
      (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
    );
  }
  return { parsed, facts, truss, findings, internalErrors };
}
