/** Offsets and edits on test texts, by LSP positions. */

interface EditLike {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  newText: string;
}

export function offsetAt(text: string, line: number, character: number): number {
  let offset = 0;
  for (let i = 0; i < line; i++) offset = text.indexOf('\n', offset) + 1;
  return offset + character;
}

/** Applies LSP text edits to a text (edits on the same text, not overlapping). */
export function applyEdits(text: string, edits: EditLike[]): string {
  const sorted = edits
    .map((e) => ({
      start: offsetAt(text, e.range.start.line, e.range.start.character),
      end: offsetAt(text, e.range.end.line, e.range.end.character),
      text: e.newText,
    }))
    .sort((a, b) => b.start - a.start);
  for (const e of sorted) text = text.slice(0, e.start) + e.text + text.slice(e.end);
  return text;
}
