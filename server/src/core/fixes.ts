import { RULE_OF } from '../rules';
import { Analysis } from './analyze';
import { addSecrets } from './edit';
import { SUPPRESS_NEXT_LINE, UNUSED_SUPPRESSION } from './suppress';
import { Finding, Fix, Range } from './types';

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

/** Quick fixes for one finding; never throws on a rule's behalf. */
export function fixesFor(analysis: Analysis, finding: Finding): Fix[] {
  return RULE_OF.get(finding.code)?.fixes?.(finding, analysis) ?? [];
}

/** Inserts `# truss-config-disable-next-line <code>` above the finding's line, with its indentation. */
export function suppressFix(analysis: Analysis, finding: Finding): Fix | undefined {
  if (finding.code === UNUSED_SUPPRESSION.code || analysis.parsed.tooLarge) return undefined;
  const { parsed } = analysis;
  const line = finding.range.start.line;
  const start = parsed.offset({ line, character: 0 });
  const indent = /^[ \t]*/.exec(parsed.text.slice(start))![0];
  const at = { line, character: 0 };
  return {
    title: `Suppress \`${finding.code}\` on this line`,
    edits: [{ range: { start: at, end: at }, newText: `${indent}# ${SUPPRESS_NEXT_LINE} ${finding.code}${parsed.eol}` }],
  };
}

/** "Add all missing secrets", when the file lacks more than one. */
export function addAllSecretsFix(analysis: Analysis): Fix | undefined {
  const names = [
    ...new Set(analysis.findings.filter((f) => f.code === 'missing-secret').map((f) => String(f.data?.name))),
  ];
  if (names.length < 2) return undefined;
  const edit = addSecrets(analysis.parsed, analysis.facts, names);
  return edit ? { title: `Add all missing secrets to secrets (${names.join(', ')})`, edits: [edit] } : undefined;
}
