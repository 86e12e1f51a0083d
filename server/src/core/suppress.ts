import { CodeInfo } from './rule';
import { ParsedDocument } from './parse';
import { Finding, Range, Severity } from './types';

export const SUPPRESS_NEXT_LINE = 'truss-config-disable-next-line';
export const SUPPRESS_FILE = 'truss-config-disable';

export const UNUSED_SUPPRESSION: CodeInfo = {
  code: 'unused-suppression',
  severity: 'warning',
  summary: 'A `# truss-config-disable…` comment that suppresses nothing (or names no known code).',
  source: 'this tool',
};

interface Suppression {
  /** 0-based line the comment is on. */
  line: number;
  /** The line it applies to, or undefined for the whole file. */
  target: number | undefined;
  /** Codes it names; empty means every code. */
  codes: string[];
  range: Range;
  used: Set<string>;
}

const COMMENT = /(^|\s)#\s*(truss-config-disable(?:-next-line)?)(?=\s|$)([^#\r\n]*)/;

function suppressions(parsed: ParsedDocument): Suppression[] {
  const out: Suppression[] = [];
  const text = parsed.text;
  if (!text.includes(SUPPRESS_FILE)) return out;
  let start = 0;
  for (let line = 0; start <= text.length; line++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const m = COMMENT.exec(text.slice(start, end));
    if (m) {
      const from = start + m.index + m[1].length;
      out.push({
        line,
        target: m[2] === SUPPRESS_NEXT_LINE ? line + 1 : undefined,
        codes: m[3].split(/[\s,]+/).filter(Boolean),
        range: parsed.range(from, start + m.index + m[0].trimEnd().length),
        used: new Set(),
      });
    }
    start = end + 1;
  }
  return out;
}

/**
 * Drops the findings that a suppression comment or a severity setting turns off, applies the
 * other severity settings, and adds a warning for each suppression that matched nothing.
 */
export function applySuppressions(
  parsed: ParsedDocument,
  findings: Finding[],
  known: { has(code: string): boolean },
  severities: Record<string, Severity | 'off'> = {},
): Finding[] {
  const list = suppressions(parsed);
  const kept: Finding[] = [];
  for (const f of findings) {
    const by = list.find((s) => (s.target === undefined || s.target === f.range.start.line) && (s.codes.length === 0 || s.codes.includes(f.code)));
    if (by) by.used.add(f.code);
    else kept.push(f);
  }
  for (const s of list) {
    const unknown = s.codes.filter((c) => !known.has(c));
    const unused = s.codes.filter((c) => known.has(c) && !s.used.has(c));
    let message: string | undefined;
    if (unknown.length) message = `No rule has the code ${unknown.map((c) => `\`${c}\``).join(', ')}.`;
    else if (s.codes.length === 0 && s.used.size === 0) message = 'This suppression matches no diagnostic: remove it.';
    else if (unused.length) message = `Nothing to suppress for ${unused.map((c) => `\`${c}\``).join(', ')}${s.target === undefined ? ' in this file' : ' on the next line'}: remove it.`;
    if (message) kept.push({ code: UNUSED_SUPPRESSION.code, severity: UNUSED_SUPPRESSION.severity, message, range: s.range, data: { unknown, unused } });
  }
  const out: Finding[] = [];
  for (const f of kept) {
    const setting = severities[f.code];
    if (setting === 'off') continue;
    out.push(setting ? { ...f, severity: setting } : f);
  }
  return out;
}
