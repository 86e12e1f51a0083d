/**
 * The npm package's programmatic API (`require('truss-config')`): one Truss config's text in, its
 * findings out, as `--format json` reports them. Self-contained types: `dist/api.d.ts` is generated
 * from this file alone (scripts/build.mjs).
 */
import { analyze } from '../engine/analyze';
import { CODES } from '../engine/rules';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A position: 0-based line and character (UTF-16 code units), as in LSP. */
export interface Position {
  line: number;
  character: number;
}

export interface CheckFinding {
  /** The rule's code, such as `unknown-key` (README, "Rules"). */
  code: string;
  severity: Severity;
  /** What is wrong; it never quotes a value of the file. */
  message: string;
  /** The exact node, end exclusive. */
  range: { start: Position; end: Position };
  /** The model code file it is in, relative to the config's folder; absent: the config itself. */
  file?: string;
}

export interface CheckOptions {
  /** Severity per code, or `off`, as in `.truss-config.yaml`'s `rules`. */
  rules?: Record<string, Severity | 'off'>;
  /** `auto` (the default): only a text that looks like a Truss config is checked; `always`; `never`. */
  detect?: 'auto' | 'always' | 'never';
  /** The truss release to judge by, such as `0.13.1`; absent: the latest known. */
  trussVersion?: string;
}

/**
 * The findings of a config.yaml's text. An empty list when it is clean, or not a Truss config under
 * `detect: auto`. Throws a TypeError for an unknown option value.
 */
export function check(text: string, options: CheckOptions = {}): CheckFinding[] {
  if (typeof text !== 'string') throw new TypeError('check(text): text must be a string');
  const { rules = {}, detect = 'auto', trussVersion } = options;
  if (trussVersion !== undefined && !/^\d+(\.\d+)*$/.test(trussVersion))
    throw new TypeError('trussVersion must be a version such as 0.13.1');
  if (!['auto', 'always', 'never'].includes(detect)) throw new TypeError(`detect must be auto, always or never`);
  for (const [code, level] of Object.entries(rules)) {
    if (!CODES.has(code)) throw new TypeError(`rules: unknown code ${JSON.stringify(code)}`);
    if (!['off', 'error', 'warning', 'information', 'hint'].includes(level))
      throw new TypeError(`rules: ${code} must be off, hint, information, warning or error`);
  }
  const { findings } = analyze(text, { rules, detect, release: trussVersion });
  return findings.map((f) => ({
    code: f.code,
    severity: f.severity,
    message: f.message,
    range: { start: { ...f.range.start }, end: { ...f.range.end } },
    ...(f.file ? { file: f.file } : {}),
  }));
}
