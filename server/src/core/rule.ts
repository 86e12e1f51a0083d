import { ConfigFacts } from './facts';
import { ParsedDocument } from './parse';
import type { Analysis } from './analyze';
import { Finding, Fix, Range, Severity } from './types';

/** One diagnostic code a rule can report, as listed in the README. */
export interface CodeInfo {
  code: string;
  severity: Severity;
  /** One line for the README's rule table. */
  summary: string;
  /** Where the rule comes from: truss's code or Baseten's docs. */
  source: string;
  href?: string;
}

export interface RuleContext {
  readonly parsed: ParsedDocument;
  readonly facts: ConfigFacts;
  /** The document as truss validates it (after truss's own pre-processing). */
  readonly value: unknown;
  report(code: string, range: Range, message: string, data?: Record<string, unknown>, severity?: Severity): void;
}

export interface Rule {
  codes: CodeInfo[];
  check(ctx: RuleContext): void;
  /** Quick fixes for one of this rule's findings, against the analysis that produced it. */
  fixes?(finding: Finding, analysis: Analysis): Fix[];
}

export function makeReporter(codes: Map<string, CodeInfo>, out: Finding[]): RuleContext['report'] {
  return (code, range, message, data, severity) => {
    const info = codes.get(code);
    if (!info) throw new Error(`unregistered diagnostic code ${code}`);
    out.push({ code, severity: severity ?? info.severity, message, range, href: info.href, data });
  };
}
