// @ts-check
// The kinds of edit the benchmark sends, each as the text of every version of a series: version i differs
// from version i - 1 by exactly one edit, as an editor's full-text didChange after that edit would.
import { editedText } from './synth.mjs';

/**
 * One kind of edit. A kind with one step accumulates (each version one more edit of it); a kind with two
 * alternates its two steps, so the text returns to the original every other version and the size stays
 * stable. Every step is timed, each on its own.
 * @typedef {object} EditKind
 * @property {string} name
 * @property {string[]} steps the edit each version makes, in turn: one name, or two alternated
 * @property {(text: string, line: number, i: number) => string} version the text after the i-th edit (i ≥ 1),
 *   at `line`: a `key: value` line inside a block mapping
 */

/** What each step is called in the table. */
export const STEP_LABELS = /** @type {const} */ ({
  type: 'type in a value',
  enter: 'Enter at the end of a line',
  key: 'a new key line',
  delete: 'delete a line',
  paste: 'paste a 5-line block',
  comment: 'comment a line out',
  break: 'break the YAML (an unclosed `[` typed)',
  repair: 'repair it (the `[` removed)',
});

/** @typedef {keyof typeof STEP_LABELS} Step */

/** The steps that get a row (the others are in the JSON details only). @type {Step[]} */
export const ROW_STEPS = ['enter', 'key', 'paste', 'delete', 'comment', 'break', 'repair'];

/**
 * `text` with `edit` applied to its lines (the line break is kept as it is).
 * @param {string} text
 * @param {(lines: string[]) => void} edit
 */
function withLines(text, edit) {
  const lines = text.split('\n');
  edit(lines);
  return lines.join('\n');
}

/** @param {string} line */
const indentOf = (line) => /^\s*/.exec(line)?.[0] ?? '';

/**
 * Odd versions: `forward` applied to the original; even versions: the original.
 * @param {(text: string, line: number, i: number) => string} forward
 * @returns {(text: string, line: number, i: number) => string}
 */
const alternate = (forward) => (text, line, i) => (i % 2 ? forward(text, line, i) : text);

/** @type {EditKind[]} */
export const EDIT_KINDS = [
  // One character typed at the end of the value (inside its closing quote), one more per version.
  { name: 'type', steps: ['type'], version: (text, line, i) => editedText(text, line, i) },
  // The same after the closing quote: broken YAML at every version.
  {
    name: 'typeAfterQuote',
    steps: ['type'],
    version: (text, line, i) => editedText(text, line, i, { afterQuote: true }),
  },
  // Enter at the end of the line: a line break and the line's indentation, as the editor's auto-indent
  // inserts them; then both removed (joining the lines back).
  {
    name: 'enter',
    steps: ['enter', 'join'],
    version: alternate((text, line) => withLines(text, (ls) => ls.splice(line + 1, 0, indentOf(ls[line])))),
  },
  // A new line `BENCH_KEY_i: value-i` after the line, indented as it; then that whole line deleted.
  {
    name: 'key',
    steps: ['key', 'delete'],
    version: alternate((text, line, i) =>
      withLines(text, (ls) => ls.splice(line + 1, 0, `${indentOf(ls[line])}BENCH_KEY_${i}: value-${i}`)),
    ),
  },
  // Five whole lines `BENCH_PASTED_i_k: value-k` pasted after the line; then the paste undone.
  {
    name: 'paste',
    steps: ['paste', 'unpaste'],
    version: alternate((text, line, i) =>
      withLines(text, (ls) => {
        const indent = indentOf(ls[line]);
        ls.splice(line + 1, 0, ...[1, 2, 3, 4, 5].map((k) => `${indent}BENCH_PASTED_${i}_${k}: value-${k}`));
      }),
    ),
  },
  // `# ` inserted before the line's key, as the editor's toggle-comment does; then removed.
  {
    name: 'comment',
    steps: ['comment', 'uncomment'],
    version: alternate((text, line) =>
      withLines(text, (ls) => {
        const indent = indentOf(ls[line]);
        ls[line] = `${indent}# ${ls[line].slice(indent.length)}`;
      }),
    ),
  },
  // A `[` typed at the start of the value, which leaves a flow sequence open to the end of the file
  // (a YAML error); then removed.
  {
    name: 'break',
    steps: ['break', 'repair'],
    version: alternate((text, line) =>
      withLines(text, (ls) => {
        ls[line] = ls[line].replace(/:\s+/, (m) => `${m}[`);
      }),
    ),
  },
];

/** The kinds that alternate two steps: each has rows on the real config and the 10,000-line file. */
export const ALTERNATING = EDIT_KINDS.filter((k) => k.steps.length === 2);

/**
 * A series: which kind of edit, where, and how many versions (`warmup` sent untimed, then `count` timed).
 * @typedef {{ kind: string, text: string, line: number, warmup: number, count: number }} SeriesSpec
 */

/**
 * The texts of a series and the step each version makes.
 * @param {SeriesSpec} spec
 */
export function seriesVersions({ kind, text, line }) {
  const k = EDIT_KINDS.find((x) => x.name === kind);
  if (!k) throw new Error(`no edit kind ${kind}`);
  return {
    text: (/** @type {number} */ i) => k.version(text, line, i),
    step: (/** @type {number} */ i) => k.steps[(i - 1) % k.steps.length],
  };
}
