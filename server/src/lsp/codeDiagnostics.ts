/**
 * The diagnostics of the Python files of each Truss: its config's analysis finds them (a finding with a
 * `file`), and they are published under the Python file's URI. A file that two Trusses share (an
 * `external_package_dirs` folder) shows what each finds.
 */
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver';
import type { Analysis } from '../core/analysis';
import { toDiagnostic } from './convert';

export interface CodeDiagnosticsDeps {
  send(params: PublishDiagnosticsParams): Promise<void>;
  /** The URI of a file of a config's Truss. */
  uriOf(configUri: string, file: string): string | undefined;
  /** Whether a Python file's problems are shown: every file when the workspace is in scope, else open ones. */
  shown(uri: string): boolean;
}

export class CodeDiagnostics {
  /** By config: what its analysis found, by Python file URI. */
  private readonly byConfig = new Map<string, Map<string, Diagnostic[]>>();

  constructor(private readonly deps: CodeDiagnosticsDeps) {}

  /** Publishes the model code's findings of a config's analysis (none: `undefined`, or not a Truss). */
  publish(configUri: string, analysis: Analysis | undefined): Promise<void> {
    const now = new Map<string, Diagnostic[]>();
    for (const f of analysis?.truss ? analysis.findings : []) {
      if (f.file === undefined) continue;
      const uri = this.deps.uriOf(configUri, f.file);
      if (uri === undefined || !this.deps.shown(uri)) continue;
      const list = now.get(uri) ?? [];
      list.push(toDiagnostic(f));
      now.set(uri, list);
    }
    const before = this.byConfig.get(configUri);
    if (now.size) this.byConfig.set(configUri, now);
    else this.byConfig.delete(configUri);
    const uris = new Set([...(before?.keys() ?? []), ...now.keys()]);
    return this.send(uris, before, now);
  }

  /** The config's findings in its code are gone (the config closed out of scope, deleted, not a Truss). */
  clear(configUri: string): Promise<void> {
    return this.publish(configUri, undefined);
  }

  /** The Python files with published problems (for tests and for the scope's changes). */
  files(): string[] {
    const out = new Set<string>();
    for (const m of this.byConfig.values()) for (const uri of m.keys()) out.add(uri);
    return [...out];
  }

  private async send(
    uris: Set<string>,
    before: Map<string, Diagnostic[]> | undefined,
    now: Map<string, Diagnostic[]>,
  ): Promise<void> {
    for (const uri of uris) {
      const [was, is] = [before?.get(uri) ?? [], now.get(uri) ?? []];
      if (was.length === 0 && is.length === 0) continue;
      if (JSON.stringify(was) === JSON.stringify(is)) continue;
      const diagnostics: Diagnostic[] = [];
      for (const m of this.byConfig.values()) diagnostics.push(...(m.get(uri) ?? []));
      await this.deps.send({ uri, diagnostics });
    }
  }
}
