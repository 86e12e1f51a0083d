import type { Analysis } from '../core/analysis';
import { redactCredentials } from '../core/truss/credentials';
import { SUPPRESS_NEXT_LINE } from '../core/suppress';
import type { Finding, Fix, Range } from '../core/types';
import { CODES, RULE_OF } from './rules';
import { verify } from './verify';

/**
 * The finding in this analysis that a diagnostic (from the same version) stands for. The message
 * tells apart findings with the same code and range (AWS_IAM's two missing secrets); `file` is the
 * model code file the diagnostic is in (absent: the config).
 */
export function findingFor(
  analysis: Analysis,
  code: string,
  range: Range,
  message?: string,
  file?: string,
): Finding | undefined {
  return analysis.findings.find(
    (f) =>
      f.code === code &&
      f.file === file &&
      (message === undefined || f.message === message) &&
      f.range.start.line === range.start.line &&
      f.range.start.character === range.start.character &&
      f.range.end.line === range.end.line &&
      f.range.end.character === range.end.character,
  );
}

/** A fix the verifier refused, and why (never a value from the file). */
export interface Refusal {
  code: string;
  reason: string;
}

/**
 * Quick fixes for one finding, from the rule that reported it, each verified against its intent
 * (engine/verify.ts): a fix that fails is dropped and told to `refused`. Titles never carry a credential.
 */
export function fixesFor(analysis: Analysis, finding: Finding, refused?: (r: Refusal) => void): Fix[] {
  const fixes = RULE_OF.get(finding.code)?.fixes(finding, analysis) ?? [];
  return verified(analysis, fixes, [finding], refused);
}

/**
 * Fixes for every finding of one code at once (missing-secret's "add all"), from the rule that
 * reports it; verified as fixesFor verifies, each finding of the code to be gone.
 */
export function groupFixesFor(analysis: Analysis, code: string, refused?: (r: Refusal) => void): Fix[] {
  const findings = analysis.findings.filter((f) => f.code === code);
  const fixes = RULE_OF.get(code)?.groupFixes(code, findings, analysis) ?? [];
  return verified(analysis, fixes, findings, refused);
}

function verified(analysis: Analysis, fixes: Fix[], findings: Finding[], refused?: (r: Refusal) => void): Fix[] {
  const out: Fix[] = [];
  for (const fix of fixes) {
    const verdict = verify(analysis, fix, findings, { baseten: analysis.baseten, release: analysis.release });
    if (verdict.refused) refused?.({ code: findings[0]?.code ?? '', reason: verdict.refused });
    else out.push({ ...fix, title: redactCredentials(fix.title) });
  }
  return out;
}

/** Inserts `# truss-config-disable-next-line <code>` above the finding's line, with its indentation. */
export function suppressFix(analysis: Analysis, finding: Finding): Fix | undefined {
  // A comment in config.yaml silences only the config's findings, not the model code's.
  if (CODES.get(finding.code)?.suppressible === false || analysis.parsed.tooLarge || finding.file !== undefined) {
    return undefined;
  }
  const { parsed } = analysis;
  const line = finding.range.start.line;
  const start = parsed.offset({ line, character: 0 });
  const indent = /^[ \t]*/.exec(parsed.text.slice(start))![0];
  const at = { line, character: 0 };
  const newText = `${indent}# ${SUPPRESS_NEXT_LINE} ${finding.code}${parsed.eol}`;
  const fix = {
    title: `Suppress \`${finding.code}\` on this line`,
    edits: [{ range: { start: at, end: at }, newText }],
  };
  // A line inside a block scalar or a flow collection would take the comment as text.
  return verify(analysis, fix, [finding], { baseten: analysis.baseten, release: analysis.release }).refused
    ? undefined
    : fix;
}
