import { type Connection, MessageType, ShowMessageNotification } from 'vscode-languageserver';
import { type ProjectFile, type ProjectFiles, withProject } from '../engine/project';
import { DEFAULT_SETTINGS, type Settings, settingsFrom } from '../engine/settings';

/**
 * Reads `trussConfig.*` per document through workspace/configuration, cached until settings change,
 * and applies the project file above the document.
 */
export class SettingsStore {
  private cache = new Map<string, Promise<Settings>>();
  /** Settings with a project file applied, kept so that the same inputs give the same object. */
  private applied = new WeakMap<Settings, Map<ProjectFile, Settings>>();
  /** Settings problems already shown: each is shown once. */
  private shown = new Set<string>();
  private excludes = new Map<string, Promise<unknown>>();
  supported = false;

  constructor(
    private connection: Connection,
    private projects: ProjectFiles,
    /** The file path of a URI (with `/` separators), when it is a file. */
    private pathOf: (uri: string) => string | undefined,
  ) {}

  /** The settings of a document: the editor's, over the project file's. */
  async get(uri: string): Promise<Settings> {
    return this.withProject(await this.editor(uri), uri);
  }

  /** The editor's settings for a scope (a document or a folder). */
  editor(uri: string): Promise<Settings> {
    if (!this.supported) return Promise.resolve(DEFAULT_SETTINGS);
    let s = this.cache.get(uri);
    if (!s) {
      s = this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'trussConfig' }).then(
        (raw) => this.read(raw),
        () => DEFAULT_SETTINGS,
      );
      this.cache.set(uri, s);
    }
    return s;
  }

  /** Settings with the project file above a document applied, when there is one without problems. */
  withProject(s: Settings, uri: string): Settings {
    const path = this.pathOf(uri);
    const project = path === undefined ? undefined : this.projects.for(path);
    if (!project?.config) return s;
    let byProject = this.applied.get(s);
    if (!byProject) this.applied.set(s, (byProject = new Map<ProjectFile, Settings>()));
    let merged = byProject.get(project);
    if (!merged) byProject.set(project, (merged = withProject(s, project)));
    return merged;
  }

  private read(raw: unknown): Settings {
    const s = settingsFrom(raw);
    const fresh = s.problems.filter((p) => !this.shown.has(p));
    for (const p of fresh) this.shown.add(p);
    if (fresh.length) {
      const message = `Truss Config settings: ${fresh.join('; ')}. The default is used instead.`;
      // A notification: a request would wait for an answer the user may never give.
      this.connection
        .sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message })
        .catch(() => undefined);
    }
    return s;
  }

  /** `files.exclude` of a workspace folder, asked once until the settings change; undefined when unanswered. */
  filesExclude(folderUri: string): Promise<unknown> {
    let e = this.excludes.get(folderUri);
    if (!e) this.excludes.set(folderUri, (e = this.section('files.exclude', folderUri)));
    return e;
  }

  forget(uri?: string): void {
    if (uri) {
      this.cache.delete(uri);
    } else {
      this.cache.clear();
      this.excludes.clear();
    }
  }

  private async section(name: string, scopeUri: string): Promise<unknown> {
    if (!this.supported) return undefined;
    try {
      return (await this.connection.workspace.getConfiguration({ scopeUri, section: name })) as unknown;
    } catch {
      return undefined;
    }
  }
}
