/** The analyses of the open documents: cached, scheduled after changes, published as diagnostics. */
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../core/analysis';
import type { BasetenSecrets } from '../core/truss/basetenSecrets';
import type { Folder } from '../core/truss/detect';
import type { ParsedDocument } from '../core/yaml/parse';
import { analyze } from '../engine/analyze';
import { isProjectFile, selection } from '../engine/project';
import type { Settings } from '../engine/settings';
import { toDiagnostic } from './convert';
import { type Log, logError, safe } from './log';
import { pathOf } from './uris';
import type { CodeDiagnostics } from './codeDiagnostics';
import type { TrussCode } from './trussCode';
import type { TrussRuns } from './trussRun';
import type { ShippedSchema } from '../core/truss/shippedSchema';
import type { TrussAnswer } from '../core/truss/trussAnswer';

/** The documents open in the editor (`TextDocuments`, or a map in a test). */
export interface OpenDocuments {
  get(uri: string): TextDocument | undefined;
  all(): TextDocument[];
}

export interface AnalysesDeps {
  documents: OpenDocuments;
  /** The model code of each Truss (absent in a unit test: no Python is read). */
  code?: Pick<TrussCode, 'code' | 'current' | 'forget' | 'cold' | 'warm'>;
  /** A config's folder on disk, for detection (undefined for an untitled or virtual document). */
  folder?(uri: string): Folder | undefined;
  /** Publishes the findings a config's analysis makes in its Python files. */
  codeDiagnostics?: Pick<CodeDiagnostics, 'publish'>;
  settings: { get(uri: string): Promise<Settings> };
  baseten: { current(): BasetenSecrets | undefined };
  /** The truss release a document is judged by (lsp/releases.ts). */
  releases: {
    for(uri: string, s: Settings): string | undefined;
    /** What the schema of a truss newer than our data knows (absent in a unit test). */
    shipped?(uri: string, s: Settings): ShippedSchema | undefined;
  };
  /** The installed truss's answers, for the texts it was asked about (the opt-in truss run). */
  truss?: Pick<TrussRuns, 'answer'>;
  /** The diagnostics of project files: an open one is validated there. */
  projects: { open(doc: TextDocument): Promise<void>; publish(): void };
  send(params: PublishDiagnosticsParams): Promise<void>;
  log: Log;
}

interface Cached {
  version: number;
  settings: Settings;
  baseten: BasetenSecrets | undefined;
  release: string | undefined;
  says: TrussAnswer | undefined;
  analysis: Analysis;
}

/** An unopened config's analysis, for the requests made from one of its Python files. */
interface CachedText {
  text: string;
  settings: Settings;
  baseten: BasetenSecrets | undefined;
  release: string | undefined;
  analysis: Analysis;
}

/** Whether a document is a Python file (a file of a Truss's model code, or of no Truss). */
export function isPython(doc: { uri: string; languageId?: string }): boolean {
  return doc.languageId === 'python' || doc.uri.endsWith('.py');
}

/** How many documents keep their analysis in memory (the ones used last). */
const CACHED_ANALYSES = 8;

export class Analyses {
  private readonly cache = new Map<string, Cached>();
  private readonly unopened = new Map<string, CachedText>();
  private readonly pending = new Map<string, NodeJS.Immediate>();
  /** The files the user asked to check as Truss configs, whatever their keys. */
  private forced = new Set<string>();

  constructor(private readonly deps: AnalysesDeps) {}

  /**
   * The one analysis of this document version, shared by every feature. Only the documents
   * used last keep theirs (a parse tree is large); another one is analysed again when asked.
   */
  get(doc: TextDocument, s: Settings): Analysis {
    const hit = this.cache.get(doc.uri);
    this.cache.delete(doc.uri);
    const baseten = this.deps.baseten.current();
    const release = this.deps.releases.for(doc.uri, s);
    const says = this.deps.truss?.answer(doc.uri, doc.getText(), s);
    const same = hit?.version === doc.version && hit.settings === s;
    if (
      same &&
      hit.baseten === baseten &&
      hit.release === release &&
      hit.says === says &&
      hit.analysis.code === this.deps.code?.current(doc.uri)
    ) {
      this.cache.set(doc.uri, hit);
      return hit.analysis;
    }
    // The earlier version's parse is handed on (its tree is reused when a scalar or whole lines changed):
    // it is no longer cached, and no feature keeps an analysis past its own turn.
    const analysis = this.analyze(doc.uri, doc.getText(), s, hit?.analysis.parsed);
    this.cache.set(doc.uri, { version: doc.version, settings: s, baseten, release, says, analysis });
    if (this.cache.size > CACHED_ANALYSES) this.cache.delete(this.cache.keys().next().value!);
    return analysis;
  }

  /**
   * An analysis with its Truss's model code: when the code's files are not all parsed yet (a Truss seen
   * for the first time, a Python file just edited), they are parsed one per turn of the event loop and
   * the analysis made again. `analysis` makes it (each time from the current state).
   */
  async ready(uri: string, analysis: () => Analysis): Promise<Analysis> {
    const a = analysis();
    const code = this.deps.code;
    if (!a.truss || a.code || !code?.cold(uri)) return a;
    await code.warm(uri);
    return analysis();
  }

  /**
   * The analysis of a config that is not open, from its text on disk: for the requests made from one of
   * its Python files (the last few kept, by text).
   */
  ofText(uri: string, text: string, s: Settings): Analysis {
    const hit = this.unopened.get(uri);
    const baseten = this.deps.baseten.current();
    const release = this.deps.releases.for(uri, s);
    const same = hit?.text === text && hit.settings === s && hit.baseten === baseten && hit.release === release;
    if (same && hit.analysis.code === this.deps.code?.current(uri)) return hit.analysis;
    const analysis = this.analyze(uri, text, s);
    this.unopened.delete(uri);
    this.unopened.set(uri, { text, settings: s, baseten, release, analysis });
    if (this.unopened.size > CACHED_ANALYSES) this.unopened.delete(this.unopened.keys().next().value!);
    return analysis;
  }

  /**
   * How the settings and the user's choices decide whether a text is checked, and with what: a Truss
   * config's analysis reads its model code (the Python files its value names).
   */
  analyze(uri: string, text: string, s: Settings, previous?: ParsedDocument): Analysis {
    const detect = !s.enable || !this.named(uri, s) ? 'never' : this.forced.has(uri) ? 'always' : s.detect;
    const release = this.deps.releases.for(uri, s);
    const baseten = this.deps.baseten.current();
    const { code } = this.deps;
    const analysis = analyze(text, {
      detect,
      rules: s.rules,
      baseten,
      release,
      shipped: this.deps.releases.shipped?.(uri, s),
      trussSays: this.deps.truss?.answer(uri, text, s),
      previous,
      folder: this.deps.folder?.(uri),
      codeOf: code && ((dirs) => code.code(uri, dirs)),
    });
    if (!analysis.truss) code?.forget(uri);
    for (const { rule, error } of analysis.internalErrors) logError(this.deps.log, `rule ${rule}`, error);
    return analysis;
  }

  /**
   * Whether a document's name lets it be a Truss config: it matches `files`, or it is untitled (no
   * name to match: its keys decide), or the user asked to check it whatever its name.
   */
  named(uri: string, s: Settings): boolean {
    return uri.startsWith('untitled:') || this.forced.has(uri) || selection(s, pathOf(uri)) === 'selected';
  }

  /** Whether the user asked to check this file as a Truss config. */
  isForced(uri: string): boolean {
    return this.forced.has(uri);
  }

  setForced(uris: string[]): void {
    this.forced = new Set(uris);
    this.cache.clear();
    this.unopened.clear();
  }

  /**
   * Coalesces changes into one validation. It waits two turns of the event loop: the connection
   * handles one message per turn, so a newer change already received replaces this validation
   * before it runs, and no result is computed or published for a version already superseded.
   */
  schedule(uri: string): void {
    const old = this.pending.get(uri);
    if (old) clearImmediate(old);
    const run = (): void => {
      this.pending.delete(uri);
      this.validate(uri).catch((e) => logError(this.deps.log, 'validation', e));
    };
    this.pending.set(
      uri,
      setImmediate(() => this.pending.set(uri, setImmediate(run))),
    );
  }

  /** Validates every open config again (settings, the Baseten list or a project file changed). */
  scheduleAll(): void {
    for (const doc of this.deps.documents.all()) if (!isPython(doc)) this.schedule(doc.uri);
  }

  /** Publishes the diagnostics of a document's current version (nothing when a newer one is on its way). */
  async validate(uri: string): Promise<void> {
    const { documents, projects, log } = this.deps;
    const doc = documents.get(uri);
    if (!doc || isPython(doc)) return; // a Python file's problems come from its config's analysis
    const version = doc.version;
    if (isProjectFile(uri)) return projects.open(doc);
    const s = await this.deps.settings.get(uri);
    const current = documents.get(uri);
    if (!current || current.version !== version) return; // a newer version is on its way
    let analysis = safe(log, 'validation', () => this.get(current, s), undefined);
    if (analysis && this.deps.code?.cold(uri)) {
      // Its model code is parsed first, file by file; a newer version meanwhile validates instead.
      await this.deps.code.warm(uri);
      const now = documents.get(uri);
      if (!now || now.version !== version) return;
      analysis = safe(log, 'validation', () => this.get(now, s), undefined);
    }
    // The config's own findings here; those in its Python files under their own URIs.
    const diagnostics = analysis ? analysis.findings.filter((f) => f.file === undefined).map(toDiagnostic) : [];
    await this.deps.send({ uri, version, diagnostics });
    await this.deps.codeDiagnostics?.publish(uri, analysis);
    projects.publish();
  }

  /** A document closed: no validation is pending for it, and its analysis is dropped. */
  close(uri: string): void {
    const t = this.pending.get(uri);
    if (t) clearImmediate(t);
    this.pending.delete(uri);
    this.cache.delete(uri);
  }
}
