import type { Analysis } from './analysis';
import type { UnusedSuppression } from './suppress';
import type { ConfigFacts } from './truss/facts';
import type { ParsedDocument } from './yaml/parse';
import type { Finding, Fix, Range, Severity } from './types';
import type { BasetenSecrets } from './truss/basetenSecrets';
import type { ModelCode } from './truss/modelCode';
import type { ShippedSchema } from './truss/shippedSchema';
import type { TrussAnswer } from './truss/trussAnswer';

/** A code's documentation: the page `npm run generate` writes to docs/rules/<code>.md. */
export interface CodeDocs {
  /** What it catches and why it matters to a Truss user (markdown). */
  description: string;
  /** A config that gets this finding: the page shows the checker's output on it. */
  bad: string;
  /** The text checked instead of `bad`, when `bad` abbreviates it (a file too large to show). */
  badText?: () => string;
  /** The same config corrected: it gets no finding at all. */
  good: string;
  /** What the quick fix does (markdown), when the code declares one (`CodeSpec.fix`). */
  fix?: string;
  /** The Baseten workspace's secret names the examples are checked against. */
  workspaceSecrets?: string[];
  /** The truss release the examples are judged by (the checker's `--truss-version`). */
  release?: string;
  /** What the installed truss says of `bad` (the checker's `--with-truss`), for a code that reports it. */
  trussSays?: TrussAnswer;
  /**
   * A file of the Truss's model code checked with both configs (`bad` gets the finding, `good` none):
   * for a code about what the Python code reads. `path` is relative to the config's folder.
   */
  python?: { path: string; bad: string };
}

/** One diagnostic code. `D` is the shape of the data its findings carry to its fixes. */
export interface CodeSpec<D = undefined> {
  severity: Severity;
  /** One line, for the README's rule table and SARIF. */
  summary: string;
  /** Where truss or Baseten's docs enforce it. */
  source: string;
  href?: string;
  docs: CodeDocs;
  /**
   * Its quick fixes: `safe` when the checker's `--fix` and fix-all may apply its preferred fix (only a
   * mechanical fix sure to be what truss wants; a fix may still decline to be safe in one case),
   * `editor` when they are offered in the editor only (a guess). Absent: no quick fix.
   */
  fix?: FixSafety;
  /**
   * False for a code reported after suppressions are matched (`RuleSpec.finish`): no comment can
   * silence it, and no "suppress" fix is offered.
   */
  suppressible?: false;
  /**
   * True for a code that gives way to the other rules: a finding of it is dropped where another rule
   * reports an error on the same range (the same node, the same verdict: ours says more, with a fix).
   */
  defers?: true;
  /** Type only, never set: the shape of the data the code's findings carry. */
  readonly data?: () => D;
}

/** Names in a message's sentence, the last after `or`: `a string, an integer or a mapping`. */
export function orList(names: readonly string[]): string {
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names.join('');
}

export type FixSafety = 'safe' | 'editor';

/** A code with its name and the rule that reports it. */
export interface CodeInfo extends Omit<CodeSpec<unknown>, 'data'> {
  code: string;
  rule: string;
}

/** Declares a code whose findings carry data of type `D` (nothing when omitted). */
export function code<D = undefined>(spec: Omit<CodeSpec<D>, 'data'>): CodeSpec<NoInfer<D>> {
  return spec;
}

type Specs = Record<string, CodeSpec<unknown>>;
type DataOf<S> = S extends { data?: () => infer D } ? D : never;

/** One finding as a rule reports it: data is required exactly when the code declares a shape. */
export type Report<K extends string, D> = {
  code: K;
  range: Range;
  message: string;
  /** Overrides the code's default severity for this finding. */
  severity?: Severity;
  /** The model code file the finding is in (relative to the config's folder); absent: the config. */
  file?: string;
} & ([D] extends [undefined] ? { data?: undefined } : { data: D });

/** What a rule sees: one analysis of one document version. */
export interface RuleInput {
  readonly parsed: ParsedDocument;
  readonly facts: ConfigFacts;
  /** The document as truss validates it (after truss's own pre-processing). */
  readonly value: unknown;
  /** The Baseten workspace's secret names, when known (absent: nothing is said about them). */
  readonly baseten?: BasetenSecrets;
  /** The truss release the user pushes with, when known (absent: judged as the newest we know). */
  readonly release?: string;
  /** The keys and values the schema of a truss newer than our data knows, when it ships one. */
  readonly shipped?: ShippedSchema;
  /** What the installed truss said of this very text, when the user opted in to asking it. */
  readonly trussSays?: TrussAnswer;
  /** The Truss's model code (Python files), when the caller read it. */
  readonly code?: ModelCode;
}

export interface RuleContext<C extends Specs> extends RuleInput {
  report: <K extends keyof C & string>(finding: Report<K, DataOf<C[K]>>) => void;
}

/** What a rule sees after the suppression comments are matched with every rule's findings. */
export interface FinishContext<C extends Specs> extends RuleContext<C> {
  /** The suppression comments that silenced nothing, or name a code no rule has. */
  readonly unusedSuppressions: readonly UnusedSuppression[];
}

/** A finding of a code whose data has type `D`. */
export type FindingOf<D> = Omit<Finding, 'data'> & { data: D };

type FixFns<C extends Specs> = { [K in keyof C]?: (finding: FindingOf<DataOf<C[K]>>, analysis: Analysis) => Fix[] };
type GroupFixFns<C extends Specs> = {
  [K in keyof C]?: (findings: FindingOf<DataOf<C[K]>>[], analysis: Analysis) => Fix[];
};

export interface RuleSpec<C extends Specs> {
  /** The rule's name: also its file's name in server/src/rules/ and its folder in test/rules/. */
  name: string;
  codes: C;
  /**
   * Top-level sections its findings depend on besides the ones they are in (`missing-secret` reads
   * `secrets`): removing such a section may change them. test/sections.test.ts holds every rule to it.
   */
  reads?: readonly string[];
  /** The checks, run on every analysis. */
  check?(ctx: RuleContext<C>): void;
  /** Runs after suppressions are matched; it may report only codes declared `suppressible: false`. */
  finish?(ctx: FinishContext<C>): void;
  /** Quick fixes per code, computed against the analysis that produced the finding. */
  fixes?: FixFns<C>;
  /** Fixes for every finding of a code at once ("add all"), offered beside each finding's own. */
  groupFixes?: GroupFixFns<C>;
}

/** A rule as the engine runs it. */
export interface Rule {
  name: string;
  codes: CodeInfo[];
  reads: readonly string[];
  /** Runs the checks; findings go to `out`. A code the rule did not declare throws. */
  run(input: RuleInput, out: Finding[]): void;
  /** Runs the rule's `finish`, after suppressions; findings go to `out`. */
  finish(input: RuleInput, unusedSuppressions: readonly UnusedSuppression[], out: Finding[]): void;
  /** Quick fixes for one of this rule's findings; `safe` only where the code declares it. */
  fixes(finding: Finding, analysis: Analysis): Fix[];
  /** Fixes for all of this rule's findings of one code (the analysis's, after suppressions and settings). */
  groupFixes(code: string, findings: Finding[], analysis: Analysis): Fix[];
}

/** The data rules reported with findings whose data the engine redacted (redactData): for their fixes only. */
const REPORTED = new WeakMap<Finding, unknown>();

/**
 * Keeps the data a rule reported with a finding, when what the finding carries out (to the editor, a
 * log, the checker) is a redacted copy: the rule's fixes still receive the data it reported.
 */
export function keepReportedData(finding: Finding, data: unknown): void {
  REPORTED.set(finding, data);
}

/** The finding as its rule reported it: with the data kept by keepReportedData, if any. */
function asReported(finding: Finding): Finding {
  return REPORTED.has(finding) ? { ...finding, data: REPORTED.get(finding) } : finding;
}

export function defineRule<C extends Specs>(spec: RuleSpec<C>): Rule {
  const codes = Object.entries(spec.codes).map(([name, s]): CodeInfo => ({ code: name, rule: spec.name, ...s }));
  const byCode = new Map(codes.map((c) => [c.code, c]));
  const reporter =
    (out: Finding[], late: boolean): RuleContext<C>['report'] =>
    (f) => {
      const info = byCode.get(f.code);
      if (!info) throw new Error(`rule ${spec.name} reported a code it does not declare: ${f.code}`);
      if (late !== (info.suppressible === false)) {
        throw new Error(`rule ${spec.name} reported ${f.code} ${late ? 'after' : 'before'} suppressions`);
      }
      out.push({
        code: f.code,
        severity: f.severity ?? info.severity,
        message: f.message,
        range: f.range,
        href: info.href,
        data: f.data,
        ...(f.file === undefined ? {} : { file: f.file }),
      });
    };
  // A fix is safe only where its code says so: the declaration is what --fix and the docs trust.
  const declared = (code: string, fixes: Fix[]): Fix[] =>
    byCode.get(code)?.fix === 'safe' ? fixes : fixes.map((f) => (f.safe ? { ...f, safe: false } : f));
  return {
    name: spec.name,
    codes,
    reads: spec.reads ?? [],
    run(input, out) {
      spec.check?.({ ...input, report: reporter(out, false) });
    },
    finish(input, unusedSuppressions, out) {
      spec.finish?.({ ...input, unusedSuppressions, report: reporter(out, true) });
    },
    fixes(finding, analysis) {
      const fn = spec.fixes?.[finding.code] as ((f: Finding, a: Analysis) => Fix[]) | undefined;
      return fn ? declared(finding.code, fn(asReported(finding), analysis)) : [];
    },
    groupFixes(code, findings, analysis) {
      const fn = spec.groupFixes?.[code] as ((f: Finding[], a: Analysis) => Fix[]) | undefined;
      return fn && findings.length ? declared(code, fn(findings.map(asReported), analysis)) : [];
    },
  };
}
