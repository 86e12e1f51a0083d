import type { Analysis } from '../core/analysis';
import { redactCredentials, redactData } from '../core/truss/credentials';
import { keepReportedData } from '../core/rule';
import { type DetectMode, type Folder, detect } from '../core/truss/detect';
import { collectFacts } from '../core/truss/facts';
import { asTrussSees } from '../core/truss/normalize';
import { ParsedDocument } from '../core/yaml/parse';
import { applySuppressions } from '../core/suppress';
import type { Finding, Severity } from '../core/types';
import type { BasetenSecrets } from '../core/truss/basetenSecrets';
import { type ModelCode, codeDirs } from '../core/truss/modelCode';
import type { ShippedSchema } from '../core/truss/shippedSchema';
import type { TrussAnswer } from '../core/truss/trussAnswer';
import { CODES, RULES } from './rules';

export type { Analysis };

export interface AnalyzeOptions {
  detect?: DetectMode;
  /**
   * The config's folder, for detection (its model code, `data/`, `packages/`): from the checker and the
   * server; absent for a document with no folder on disk.
   */
  folder?: Folder;
  /** Severity per code, or `off`: from settings or the checker's --config. */
  rules?: Record<string, Severity | 'off'>;
  /** The Baseten workspace's secret names (the checker's --baseten, the editor's setting); absent: not compared. */
  baseten?: BasetenSecrets;
  /** The truss release the user pushes with (`--truss-version`, found in their environment). */
  release?: string;
  /** The keys and values known to the schema a truss newer than our data ships (environment/truss.ts). */
  shipped?: ShippedSchema;
  /** What the installed truss said of this text (the opt-in truss run); never for another text. */
  trussSays?: TrussAnswer;
  /** The Truss's model code: its secret reads are checked with the config. */
  code?: ModelCode;
  /**
   * Where the model code comes from when `code` is not given: called (for a Truss config only) with the
   * folders its value names (`codeDirs`), it returns their files, or undefined when they are not known.
   */
  codeOf?: (dirs: string[]) => ModelCode | undefined;
  /** The parse of an earlier version of this document: reused when it can be, and spent either way. */
  previous?: ParsedDocument;
}

/** Parses a document version once and runs every rule on it. */
export function analyze(text: string, options: AnalyzeOptions = {}): Analysis {
  const parsed = ParsedDocument.after(options.previous, text);
  const facts = collectFacts(parsed);
  // A file too large to parse cannot be recognised by its keys: say why it is not checked.
  const mode = options.detect ?? 'auto';
  const detection = mode === 'auto' && !parsed.tooLarge ? detect(parsed, options.folder) : undefined;
  const truss = detection ? detection.truss : mode !== 'never';
  const why = detection?.reason;
  const internalErrors: Analysis['internalErrors'] = [];
  if (!truss) return { parsed, facts, truss, why, findings: [], internalErrors };

  const raw = parsed.value;
  const { baseten, release, shipped, trussSays } = options;
  const code = options.code ?? options.codeOf?.(codeDirs(raw));
  const input = {
    parsed,
    facts,
    value: raw === undefined ? undefined : asTrussSees(raw),
    baseten,
    release,
    shipped,
    trussSays,
    code,
  };
  let all: Finding[] = [];
  for (const rule of RULES) {
    const out: Finding[] = [];
    try {
      rule.run(input, out);
      all.push(...out);
    } catch (error) {
      internalErrors.push({ rule: rule.name, error });
    }
  }
  all = withoutDeferred(all);
  // A comment in config.yaml silences the config's findings, not the model code's.
  const { kept, unused } = applySuppressions(
    parsed,
    all.filter((f) => f.file === undefined),
    CODES,
  );
  all = [...kept, ...all.filter((f) => f.file !== undefined)];
  for (const rule of RULES) {
    const out: Finding[] = [];
    try {
      rule.finish(input, unused, out);
      all.push(...out);
    } catch (error) {
      internalErrors.push({ rule: rule.name, error });
    }
  }
  const findings: Finding[] = [];
  for (const f of all) {
    const setting = options.rules?.[f.code];
    if (setting === 'off') continue;
    // The last guard of "no credential in a message": rules never quote values, and this catches a slip.
    // A finding's data (a key, a secret's name, a path) goes out too, to the editor: it is redacted the
    // same way, and the rule's fixes still receive the data it reported.
    const data = redactData(f.data);
    const finding = { ...f, severity: setting ?? f.severity, message: redactCredentials(f.message), data };
    if (data !== f.data) keepReportedData(finding, f.data);
    findings.push(finding);
  }
  findings.sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character,
  );
  return { parsed, facts, truss, why, findings, internalErrors, baseten, release, code };
}

/** Drops a finding of a code that defers (`CodeSpec.defers`) where another rule reports an error on the same range. */
function withoutDeferred(all: Finding[]): Finding[] {
  const key = (f: Finding) =>
    `${f.file ?? ''}:${f.range.start.line}:${f.range.start.character}:${f.range.end.line}:${f.range.end.character}`;
  const defers = (f: Finding) => CODES.get(f.code)?.defers === true;
  const ours = new Set(all.filter((f) => !defers(f) && f.severity === 'error').map(key));
  return ours.size ? all.filter((f) => !defers(f) || !ours.has(key(f))) : all;
}
