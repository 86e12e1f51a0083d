import { closeSync, fsyncSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { ParsedDocument } from '../core/parse';
import type { TextEdit } from '../core/types';
import { type AnalyzeOptions, analyze } from '../engine/analyze';
import { fixesFor } from '../engine/fixes';

/** Applies the safe, preferred quick fixes until none is left (a few passes at most). */
export function fixText(text: string, options: AnalyzeOptions): { text: string; fixed: string[] } {
  const fixed: string[] = [];
  const broken = (t: string) => new ParsedDocument(t).problems.some((p) => p.severity === 'error');
  const wasBroken = broken(text);
  for (let pass = 0; pass < 8; pass++) {
    const analysis = analyze(text, options);
    const chosen: Array<{ start: number; end: number; text: string }> = [];
    const overlaps = (s: number, e: number) =>
      chosen.some((c) => (s < c.end && c.start < e) || s === c.start || e === c.end);
    for (const finding of analysis.findings) {
      const fix = fixesFor(analysis, finding).find((f) => f.preferred && f.safe);
      if (!fix) continue;
      const edits = fix.edits.map((e: TextEdit) => ({
        start: analysis.parsed.offset(e.range.start),
        end: analysis.parsed.offset(e.range.end),
        text: e.newText,
      }));
      if (edits.some((e) => overlaps(e.start, e.end))) continue;
      chosen.push(...edits);
      fixed.push(finding.code);
    }
    if (!chosen.length) break;
    chosen.sort((a, b) => b.start - a.start);
    for (const e of chosen) text = text.slice(0, e.start) + e.text + text.slice(e.end);
    if (!wasBroken && broken(text)) throw new Error('a fix broke the YAML, so nothing was written');
  }
  return { text, fixed };
}

/** Replaces a file's content atomically: a temporary file beside it, then a rename. */
export function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.truss-config-${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', statSync(file).mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
