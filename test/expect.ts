import { offsetAt } from './text';
import { Case } from './cases';

interface RangeLike {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface Got {
  code: string;
  severity: string;
  at: string;
  line: number;
}

const SEVERITY_NAMES: Record<number, string> = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

/** Findings or LSP diagnostics as comparable rows, in position order. */
export function actual(text: string, items: Array<{ code?: unknown; severity?: unknown; range: RangeLike }>): Got[] {
  return items
    .map((f) => {
      const start = offsetAt(text, f.range.start.line, f.range.start.character);
      const end = offsetAt(text, f.range.end.line, f.range.end.character);
      const severity = typeof f.severity === 'number' ? SEVERITY_NAMES[f.severity] : String(f.severity);
      return { code: String(f.code), severity, at: text.slice(start, end), line: f.range.start.line, start };
    })
    .sort((a, b) => a.start - b.start || a.code.localeCompare(b.code))
    .map(({ start: _start, ...rest }) => rest);
}

/** The case's expectations in the same form. */
export function expected(c: Case): Got[] {
  return c.expect
    .map((e) => {
      let start = -1;
      if (e.line !== undefined) start = c.text.indexOf(e.at, offsetAt(c.text, e.line, 0));
      else for (let i = 0; i <= (e.nth ?? 0); i++) start = c.text.indexOf(e.at, start + 1);
      if (start < 0) throw new Error(`"${e.at}" is not in the text of "${c.name}"`);
      const line = c.text.slice(0, start).split('\n').length - 1;
      return { code: e.code, severity: e.severity ?? '?', at: e.at, line, start };
    })
    .sort((a, b) => a.start - b.start || a.code.localeCompare(b.code))
    .map(({ start: _start, ...rest }) => rest);
}
