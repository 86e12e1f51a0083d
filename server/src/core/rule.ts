import type { Analysis } from './analysis';
import type { ConfigFacts } from './truss/facts';
import type { ParsedDocument } from './yaml/parse';
import type { Finding, Fix, Range, Severity } from './types';
import type { BasetenSecrets } from './truss/basetenSecrets';

/** A code's documentation: the page `npm run docs` writes to docs/rules/<code>.md. */
export interface CodeDocs {
  /** What it catches and why it matters to a Truss user (markdown). */
  description: string;
  /** A config that gets this finding: the page shows the checker's output on it. */
  bad: string;
  /** The text checked instead of `bad`, when `bad` abbreviates it (a file too large to show). */
  badText?: () => string;
  /** The same config corrected: it gets no finding at all. */
  good: string;
  /** What the quick fix does (markdown), when there is one. */
  fix?: string;
  /** The Baseten workspace's secret names the examples are checked against. */
  workspaceSecrets?: string[];
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
  /** Type only, never set: the shape of the data the code's findings carry. */
  readonly data?: () => D;
}

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
} & ([D] extends [undefined] ? { data?: undefined } : { data: D });

/** What a rule sees: one analysis of one document version. */
export interface RuleInput {
  readonly parsed: ParsedDocument;
  readonly facts: ConfigFacts;
  /** The document as truss validates it (after truss's own pre-processing). */
  readonly value: unknown;
  /** The Baseten workspace's secret names, when known (absent: nothing is said about them). */
  readonly baseten?: BasetenSecrets;
}

export interface RuleContext<C extends Specs> extends RuleInput {
  report: <K extends keyof C & string>(finding: Report<K, DataOf<C[K]>>) => void;
}

/** A finding of a code whose data has type `D`. */
export type FindingOf<D> = Omit<Finding, 'data'> & { data: D };

type FixFns<C extends Specs> = { [K in keyof C]?: (finding: FindingOf<DataOf<C[K]>>, analysis: Analysis) => Fix[] };

export interface RuleSpec<C extends Specs> {
  /** The rule's name: also its file's name in server/src/rules/ and its folder in test/rules/. */
  name: string;
  codes: C;
  check(ctx: RuleContext<C>): void;
  /** Quick fixes per code, computed against the analysis that produced the finding. */
  fixes?: FixFns<C>;
}

/** A rule as the engine runs it. */
export interface Rule {
  name: string;
  codes: CodeInfo[];
  /** Runs the checks; findings go to `out`. A code the rule did not declare throws. */
  run(input: RuleInput, out: Finding[]): void;
  /** Quick fixes for one of this rule's findings. */
  fixes(finding: Finding, analysis: Analysis): Fix[];
}

export function defineRule<C extends Specs>(spec: RuleSpec<C>): Rule {
  const codes = Object.entries(spec.codes).map(([name, s]): CodeInfo => ({ code: name, rule: spec.name, ...s }));
  const byCode = new Map(codes.map((c) => [c.code, c]));
  return {
    name: spec.name,
    codes,
    run(input, out) {
      spec.check({
        ...input,
        report(f) {
          const info = byCode.get(f.code);
          if (!info) throw new Error(`rule ${spec.name} reported a code it does not declare: ${f.code}`);
          out.push({
            code: f.code,
            severity: f.severity ?? info.severity,
            message: f.message,
            range: f.range,
            href: info.href,
            data: f.data,
          });
        },
      });
    },
    fixes(finding, analysis) {
      const fn = spec.fixes?.[finding.code] as ((f: Finding, a: Analysis) => Fix[]) | undefined;
      return fn ? fn(finding, analysis) : [];
    },
  };
}
