import type { Analysis } from '../core/analysis';
import { ParsedDocument } from '../core/yaml/parse';
import { redactCredentials } from '../core/truss/credentials';
import { SUPPRESS_NEXT_LINE } from '../core/suppress';
import type { Finding, Fix, Range } from '../core/types';
import { CODES, RULE_OF } from './rules';

/**
 * The finding in this analysis that a diagnostic (from the same version) stands for. The message
 * tells apart findings with the same code and range (AWS_IAM's two missing secrets).
 */
export function findingFor(analysis: Analysis, code: string, range: Range, message?: string): Finding | undefined {
  return analysis.findings.find(
    (f) =>
      f.code === code &&
      (message === undefined || f.message === message) &&
      f.range.start.line === range.start.line &&
      f.range.start.character === range.start.character &&
      f.range.end.line === range.end.line &&
      f.range.end.character === range.end.character,
  );
}

/**
 * Quick fixes for one finding, from the rule that reported it. Titles never carry a credential, and a
 * fix that would turn YAML that loads into YAML that does not is not offered.
 */
export function fixesFor(analysis: Analysis, finding: Finding): Fix[] {
  return checked(analysis, RULE_OF.get(finding.code)?.fixes(finding, analysis) ?? []);
}

/**
 * Fixes for every finding of one code at once (missing-secret's "add all"), from the rule that
 * reports it; checked as fixesFor checks.
 */
export function groupFixesFor(analysis: Analysis, code: string): Fix[] {
  const findings = analysis.findings.filter((f) => f.code === code);
  return checked(analysis, RULE_OF.get(code)?.groupFixes(code, findings, analysis) ?? []);
}

function checked(analysis: Analysis, fixes: Fix[]): Fix[] {
  const { parsed } = analysis;
  // Checked by parsing the result; on a very large file (where a parse takes long) it is not.
  const loads = parsed.text.length < 200_000 && !parsed.problems.some((p) => p.severity === 'error');
  return fixes
    .filter((f) => !loads || !new ParsedDocument(applyFix(parsed, f)).problems.some((p) => p.severity === 'error'))
    .map((f) => ({ ...f, title: redactCredentials(f.title) }));
}

/** The text with a fix's edits applied. */
export function applyFix(parsed: ParsedDocument, fix: Fix): string {
  const edits = fix.edits
    .map((e) => ({ start: parsed.offset(e.range.start), end: parsed.offset(e.range.end), text: e.newText }))
    .sort((a, b) => b.start - a.start);
  let text = parsed.text;
  for (const e of edits) text = text.slice(0, e.start) + e.text + text.slice(e.end);
  return text;
}

/** Inserts `# truss-config-disable-next-line <code>` above the finding's line, with its indentation. */
export function suppressFix(analysis: Analysis, finding: Finding): Fix | undefined {
  if (CODES.get(finding.code)?.suppressible === false || analysis.parsed.tooLarge) return undefined;
  const { parsed } = analysis;
  const line = finding.range.start.line;
  const start = parsed.offset({ line, character: 0 });
  const indent = /^[ \t]*/.exec(parsed.text.slice(start))![0];
  const at = { line, character: 0 };
  const newText = `${indent}# ${SUPPRESS_NEXT_LINE} ${finding.code}${parsed.eol}`;
  return { title: `Suppress \`${finding.code}\` on this line`, edits: [{ range: { start: at, end: at }, newText }] };
}
