/**
 * Expected findings written beside the lines they are about, in the files of test/rules/<rule>/.
 *
 *     auth_method: AWS_IAM
 *   #              ^^^^^^^ warning missing-secret
 *
 * An annotation is a comment line under the line it is about. Its carets mark the columns of the
 * range; a `#` directly followed by `^` counts as a caret too, for a range at column 0
 * (`#^^^^^^^^^ error unknown-key`). Any other range is written as `# [start-end]` (columns, end
 * exclusive), or `# [start-+N:end]` when it ends N lines further down. Annotation lines are removed
 * before the file is checked, so the checked text is the file without them.
 *
 * A line `# workspace-secrets: a, b` gives the Baseten workspace's secret names the case is checked
 * against (`secret-not-in-workspace`); without it the workspace is unknown.
 */

import type { TrussAnswer } from '../server/src/core/truss/trussAnswer';

/**
 * The folder of a Truss, as detection sees it: the model code beside the config. Each case and example
 * is a config of a Truss, checked as in one (a lone model_name is not a Truss config without it).
 */
export const IN_TRUSS = (path: string): boolean => path === 'model/model.py';

export interface Expectation {
  /** 0-based, in the text without annotation lines. */
  line: number;
  start: number;
  endLine: number;
  end: number;
  severity: string;
  code: string;
}

const SEVERITY = '(error|warning|information|hint)';
const CARETS = new RegExp(`^(\\s*)#( *)(\\^+) +${SEVERITY} +([a-z0-9-]+) *$`);
const EXPLICIT = new RegExp(`^\\s*# *\\[(\\d+)-(?:\\+(\\d+):)?(\\d+)\\] +${SEVERITY} +([a-z0-9-]+) *$`);

export function isAnnotation(line: string): boolean {
  return CARETS.test(line) || EXPLICIT.test(line);
}

const WORKSPACE = /^# workspace-secrets:(.*)$/m;
const RELEASE = /^# truss-release: *(\S+)$/m;

/** The truss release a case file is judged by (`# truss-release: 0.13.1`), if it names one. */
export function trussRelease(text: string): string | undefined {
  return RELEASE.exec(text.replace(/\r/g, ''))?.[1];
}

const TRUSS_SAYS = /^# truss-says: *(\{.*\})$/m;

/**
 * What the installed truss says of a case file (`# truss-says: {"version": …, "errors": […]}`, as
 * the opt-in truss run answers), if it names it.
 */
export function trussSays(text: string): TrussAnswer | undefined {
  const m = TRUSS_SAYS.exec(text.replace(/\r/g, ''));
  return m ? (JSON.parse(m[1]) as TrussAnswer) : undefined;
}

/** The workspace's secret names a case file names, if it does. */
export function workspaceSecrets(text: string): string[] | undefined {
  const m = WORKSPACE.exec(text.replace(/\r/g, ''));
  return m
    ? m[1]
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
}

/** The text without its annotation lines, and what the annotations expect. */
export function readAnnotated(source: string): { text: string; expected: Expectation[] } {
  const lines = source.split('\n');
  const kept: string[] = [];
  const expected: Expectation[] = [];
  for (const [i, raw] of lines.entries()) {
    const l = raw.replace(/\r$/, '');
    const caret = CARETS.exec(l);
    const explicit = caret ? null : EXPLICIT.exec(l);
    if (!caret && !explicit) {
      kept.push(raw);
      continue;
    }
    const line = kept.length - 1;
    if (line < 0) throw new Error(`line ${i + 1}: an annotation needs a line above it`);
    if (caret) {
      const hash = caret[1].length;
      const first = hash + 1 + caret[2].length;
      const start = caret[2] === '' ? hash : first;
      expected.push({ line, start, endLine: line, end: first + caret[3].length, severity: caret[4], code: caret[5] });
    } else if (explicit) {
      const endLine = line + Number(explicit[2] ?? 0);
      const [start, end] = [Number(explicit[1]), Number(explicit[3])];
      expected.push({ line, start, endLine, end, severity: explicit[4], code: explicit[5] });
    }
  }
  return { text: kept.join('\n'), expected: sortExpectations(expected) };
}

export function sortExpectations<T extends Expectation>(list: T[]): T[] {
  return list.sort(
    (a, b) =>
      a.line - b.line || a.start - b.start || a.endLine - b.endLine || a.end - b.end || a.code.localeCompare(b.code),
  );
}

/** The annotation line for a finding, aligned under `text` (the line it is about). */
export function annotate(f: Expectation): string {
  const tail = `${f.severity} ${f.code}`;
  if (f.endLine === f.line && f.end > f.start) {
    if (f.start >= 2) return `${' '.repeat(f.start - 2)}# ${'^'.repeat(f.end - f.start)} ${tail}`;
    if (f.start === 0 && f.end - f.start >= 2) return `#${'^'.repeat(f.end - f.start - 1)} ${tail}`;
  }
  const end = f.endLine === f.line ? `${f.end}` : `+${f.endLine - f.line}:${f.end}`;
  return `# [${f.start}-${end}] ${tail}`;
}

/** Findings (or anything with a range, a severity name and a code) as expectations, in order. */
export function asExpectations(
  findings: Array<{
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    severity: string;
    code: string;
  }>,
): Expectation[] {
  return sortExpectations(
    findings.map((f) => ({
      line: f.range.start.line,
      start: f.range.start.character,
      endLine: f.range.end.line,
      end: f.range.end.character,
      severity: f.severity,
      code: f.code,
    })),
  );
}
