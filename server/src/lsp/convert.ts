import { type Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import type { Finding, Range, Severity } from '../core/types';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** A problem of the project file (`.truss-config.yaml`): its settings are not applied until it is fixed. */
export function projectDiagnostic(p: { message: string; range: Range }): Diagnostic {
  return {
    range: p.range,
    severity: DiagnosticSeverity.Error,
    source: 'truss',
    code: 'project-file',
    message: p.message,
  };
}

export function toDiagnostic(f: Finding): Diagnostic {
  const d: Diagnostic = {
    range: f.range,
    severity: SEVERITY[f.severity],
    source: 'truss',
    code: f.code,
    message: f.message,
  };
  if (f.href) d.codeDescription = { href: f.href };
  if (f.data) d.data = f.data;
  return d;
}
