/** The problems of project files (`.truss-config.yaml`), published as diagnostics of those files. */
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { type ProjectFiles, type ProjectProblem, readProject } from '../engine/project';
import { projectDiagnostic } from './convert';
import { pathToUri } from './uris';

export class ProjectDiagnostics {
  /** Project files read from the disk with problems, published while they are not open. */
  private readonly published = new Map<string, readonly ProjectProblem[]>();

  constructor(
    private readonly projects: ProjectFiles,
    private readonly isOpen: (uri: string) => boolean,
    private readonly send: (params: PublishDiagnosticsParams) => Promise<void>,
  ) {}

  /** A project file open in the editor: its problems as typed (its settings apply once saved). */
  async open(doc: TextDocument): Promise<void> {
    const { problems } = readProject(doc.getText());
    const diagnostics = problems.map((p) => projectDiagnostic(p));
    await this.send({ uri: doc.uri, version: doc.version, diagnostics });
  }

  /** Publishes what changed in the problems of the project files read from the disk and not open. */
  publish(): void {
    const known = this.projects.known();
    if (!known.length && !this.published.size) return; // nothing to say (and it runs after every edit)
    const now = new Map<string, readonly ProjectProblem[]>(known.map((p) => [pathToUri(p.path), p.problems]));
    for (const uri of this.published.keys()) if (!now.has(uri)) now.set(uri, []);
    for (const [uri, problems] of now) {
      const had = this.published.get(uri);
      if (this.isOpen(uri) || had === problems || (!problems.length && !had)) continue;
      if (problems.length) this.published.set(uri, problems);
      else this.published.delete(uri);
      const diagnostics = problems.map((p) => projectDiagnostic(p));
      this.send({ uri, diagnostics }).catch(() => undefined);
    }
  }
}
