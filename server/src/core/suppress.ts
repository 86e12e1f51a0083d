import type { ParsedDocument } from './yaml/parse';
import type { Finding, Range } from './types';

export const SUPPRESS_NEXT_LINE = 'truss-config-disable-next-line';
export const SUPPRESS_FILE = 'truss-config-disable';

interface Suppression {
  /** The line it applies to, or undefined for the whole file. */
  target: number | undefined;
  /** Codes it names; empty means every code. */
  codes: string[];
  range: Range;
  used: Set<string>;
}

/** A suppression comment that silenced nothing, or names a code no rule has. */
export interface UnusedSuppression {
  range: Range;
  message: string;
  unknown: string[];
  unused: string[];
}

/** A suppression in a comment token: `# truss-config-disable[-next-line] [codes]`, up to another `#`. */
const COMMENT = /(^|\s)#\s*(truss-config-disable(?:-next-line)?)(?=\s|$)([^#\r\n]*)/;

/**
 * The suppressions of a document, from its comment tokens only: a `# truss-config-disable` line inside
 * a block scalar or a quoted scalar is text, not a comment, and silences nothing.
 */
function suppressions(parsed: ParsedDocument): Suppression[] {
  const out: Suppression[] = [];
  if (!parsed.text.includes(SUPPRESS_FILE)) return out;
  for (const c of parsed.comments) {
    const m = COMMENT.exec(c.text);
    if (!m) continue;
    const from = c.offset + m.index + m[1].length;
    const line = parsed.position(c.offset).line;
    out.push({
      target: m[2] === SUPPRESS_NEXT_LINE ? line + 1 : undefined,
      codes: m[3].split(/[\s,]+/).filter(Boolean),
      range: parsed.range(from, c.offset + m.index + m[0].trimEnd().length),
      used: new Set(),
    });
  }
  return out;
}

/** Drops the findings a suppression comment silences, and lists the comments that silenced nothing. */
export function applySuppressions(
  parsed: ParsedDocument,
  findings: Finding[],
  known: { has(code: string): boolean },
): { kept: Finding[]; unused: UnusedSuppression[] } {
  const list = suppressions(parsed);
  const kept: Finding[] = [];
  for (const f of findings) {
    const by = list.find(
      (s) =>
        (s.target === undefined || s.target === f.range.start.line) &&
        (s.codes.length === 0 || s.codes.includes(f.code)),
    );
    if (by) by.used.add(f.code);
    else kept.push(f);
  }
  const unused: UnusedSuppression[] = [];
  for (const s of list) {
    const unknownCodes = s.codes.filter((c) => !known.has(c));
    const unusedCodes = s.codes.filter((c) => known.has(c) && !s.used.has(c));
    const where = s.target === undefined ? ' in this file' : ' on the next line';
    let message: string | undefined;
    if (unknownCodes.length) message = `No rule has the code ${unknownCodes.map((c) => `\`${c}\``).join(', ')}.`;
    else if (s.codes.length === 0 && s.used.size === 0) message = 'This suppression matches no diagnostic: remove it.';
    else if (unusedCodes.length) {
      message = `Nothing to suppress for ${unusedCodes.map((c) => `\`${c}\``).join(', ')}${where}: remove it.`;
    }
    if (message) unused.push({ range: s.range, message, unknown: unknownCodes, unused: unusedCodes });
  }
  return { kept, unused };
}
