/**
 * The Truss configs of the workspace that are not open: found on disk, checked, and their problems
 * published, so that the Problems panel shows every config of a repository; and the Python files of each
 * Truss (its model code) and the configs above a Python file. The only module of the server that reads
 * the file system.
 */
import { type Dirent, existsSync, promises as fs, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Connection, Diagnostic } from 'vscode-languageserver';
import { matchesGlob } from '../core/glob';
import { LIMITS } from '../core/yaml/parse';

/** Folders never searched: dependencies, version control, virtual environments and caches. */
const SKIP = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '.venv',
  'venv',
  '.tox',
  '.nox',
  '__pycache__',
  'site-packages',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
]);

export interface FileCheck {
  /** Checked as a Truss config, and its diagnostics. */
  truss: boolean;
  diagnostics: Diagnostic[];
}

export interface WorkspaceHooks {
  /** Whether a document is open in the editor: then its text wins over the disk. */
  isOpen(uri: string): boolean;
  /** Whether a path may be a Truss config, by the `files` globs and `files.exclude` of its folder. */
  wanted(uri: string, relativePath: string, folder: string): Promise<boolean>;
  /** Checks a text as the document at `uri`, in a workspace folder. */
  check(uri: string, text: string, folder: string | undefined): Promise<FileCheck>;
  /** The problems of an unopened file are no longer shown. */
  forgot?(uri: string): void;
  log(message: string): void;
}

export class WorkspaceFiles {
  /** The workspace folders: their URIs, and the paths of those that are files. */
  private uris: string[] = [];
  private folders: string[] = [];
  /** Unopened files with published problems, and what was found in them. */
  private readonly found = new Map<string, FileCheck>();
  private generation = 0;
  enabled = false;

  constructor(
    private readonly connection: Connection,
    private readonly hooks: WorkspaceHooks,
  ) {}

  setFolders(uris: string[]): void {
    this.uris = uris;
    this.folders = uris.flatMap((u) => {
      try {
        return u.startsWith('file:') ? [fileURLToPath(u)] : [];
      } catch {
        return [];
      }
    });
  }

  /** The workspace folder that holds a file (the deepest, when folders nest). */
  rootOf(file: string): string | undefined {
    const holding = this.folders.filter((f) => !relative(f, file).startsWith('..'));
    return holding.sort((a, b) => b.length - a.length)[0];
  }

  changeFolders(added: string[], removed: string[]): void {
    const now = new Set(this.uris);
    for (const uri of removed) now.delete(uri);
    for (const uri of added) now.add(uri);
    this.setFolders([...now]);
  }

  /**
   * Finds and checks every config of the workspace (unless a newer scan starts first). One file at a
   * time, yielding to the event loop between files, so that typing stays responsive.
   */
  async scan(): Promise<{ configs: number; withProblems: number }> {
    const generation = ++this.generation;
    const seen = new Set<string>();
    if (this.enabled) {
      for (const folder of this.folders) {
        for await (const file of walk(folder)) {
          if (generation !== this.generation) return this.counts();
          const uri = pathToFileURL(file).href;
          if (!(await this.hooks.wanted(uri, relative(folder, file).split('\\').join('/'), folder))) continue;
          seen.add(uri);
          await this.checkFile(uri, file);
          await new Promise((r) => setImmediate(r));
        }
      }
    }
    if (generation !== this.generation) return this.counts();
    // Files gone, excluded or no longer wanted: their problems go too.
    for (const uri of [...this.found.keys()]) if (!seen.has(uri)) this.forget(uri);
    return this.counts();
  }

  private counts(): { configs: number; withProblems: number } {
    const all = [...this.found.values()].filter((f) => f.truss);
    return { configs: all.length, withProblems: all.filter((f) => f.diagnostics.length).length };
  }

  /** A file created, changed or deleted on disk. */
  async changed(uri: string, deleted: boolean): Promise<void> {
    if (deleted) return this.forget(uri);
    if (!this.enabled || this.hooks.isOpen(uri)) return;
    let file: string;
    try {
      file = fileURLToPath(uri);
    } catch {
      return;
    }
    const folder = this.folders.find((f) => !relative(f, file).startsWith('..'));
    if (!folder || inSkippedFolder(folder, file)) return;
    if (!(await this.hooks.wanted(uri, relative(folder, file).split('\\').join('/'), folder))) return;
    await this.checkFile(uri, file);
  }

  /**
   * A path created or deleted on disk that is not a YAML file: a folder, perhaps (removed, or renamed,
   * which is a deletion and a creation). The configs below a deleted one are forgotten (their URIs are
   * returned); those below a created one are found and checked.
   */
  async folderChanged(uri: string, deleted: boolean): Promise<string[]> {
    if (deleted) {
      const below = [...this.found.keys()].filter((u) => u.startsWith(uri.endsWith('/') ? uri : `${uri}/`));
      for (const u of below) this.forget(u);
      return below;
    }
    if (!this.enabled) return [];
    let dir: string;
    try {
      dir = fileURLToPath(uri);
      if (!(await fs.stat(dir)).isDirectory()) return [];
    } catch {
      return [];
    }
    const folder = this.folderOf(dir);
    if (!folder || skippedFolder(dir) || inSkippedFolder(folder, dir)) return [];
    for await (const file of walk(dir)) await this.changed(pathToFileURL(file).href, false);
    return [];
  }

  /** Checks a file from the disk (when it is not open) and publishes its problems. */
  async checkFile(uri: string, file = fileURLToPath(uri)): Promise<void> {
    if (this.hooks.isOpen(uri)) return;
    let text: string;
    try {
      const stat = await fs.stat(file);
      if (!stat.isFile() || stat.size > LIMITS.bytes) return this.forget(uri);
      text = new TextDecoder('utf-8', { fatal: true }).decode(await fs.readFile(file));
    } catch {
      return this.forget(uri); // unreadable, not UTF-8, or gone
    }
    if (this.hooks.isOpen(uri)) return; // opened while it was read
    const folder = this.folders.find((f) => !relative(f, file).startsWith('..'));
    const result = await this.hooks.check(uri, text, folder);
    if (this.hooks.isOpen(uri)) return;
    const had = this.found.get(uri);
    if (!result.truss && !had) return;
    this.found.set(uri, result);
    await this.connection.sendDiagnostics({ uri, diagnostics: result.diagnostics });
  }

  /** The file is open now: the document's own diagnostics replace the disk's. */
  opened(uri: string): void {
    this.found.delete(uri);
  }

  forget(uri: string): void {
    if (!this.found.delete(uri)) return;
    this.connection.sendDiagnostics({ uri, diagnostics: [] }).catch(() => undefined);
    this.hooks.forgot?.(uri);
  }

  /** The workspace folder a file lies in, if any. */
  folderOf(file: string): string | undefined {
    return this.folders.find((f) => !relative(f, file).startsWith('..'));
  }

  /** Forgets every unopened file's problems (the scope is now the open files). */
  clear(): void {
    this.generation++;
    for (const uri of [...this.found.keys()]) this.forget(uri);
  }
}

/** A config's text read from disk (up to the size the parser takes), or undefined. */
export function readConfigFile(path: string): string | undefined {
  try {
    const stat = statSync(path);
    if (!stat.isFile() || stat.size > LIMITS.bytes) return undefined;
    return new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path));
  } catch {
    return undefined;
  }
}

/**
 * The `config.yaml` and `config.yml` files in the folders above a file, nearest first, up to `top` (a
 * workspace folder) or 16 levels: the configs whose Truss may hold that file.
 */
export function configsAbove(file: string, top: string | undefined): string[] {
  const out: string[] = [];
  let dir = dirname(file);
  for (let i = 0; i < 16; i++) {
    for (const name of ['config.yaml', 'config.yml']) {
      const p = join(dir, name);
      if (existsSync(p)) out.push(p);
    }
    if (dir === top || dirname(dir) === dir || (top !== undefined && relative(top, dir).startsWith('..'))) break;
    dir = dirname(dir);
  }
  return out;
}

/** A project file's text (a path with `/` separators), or undefined when there is none to read. */
export function readProjectFile(path: string): string | undefined {
  try {
    if (statSync(path).size > LIMITS.bytes * 2) return undefined; // not a settings file
    return new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path));
  } catch {
    return undefined;
  }
}

/** YAML files below a folder, skipping SKIP and virtual environments. */
async function* walk(dir: string, depth = 0): AsyncGenerator<string> {
  if (depth > 32) return;
  let entries: Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!skippedFolder(p)) yield* walk(p, depth + 1);
    } else if (e.isFile() && /\.ya?ml$/.test(e.name)) yield p; // the `files` globs decide which
  }
}

/** A folder never searched: one of SKIP, or a virtual environment (it has a pyvenv.cfg). */
function skippedFolder(path: string): boolean {
  return SKIP.has(basename(path)) || existsSync(join(path, 'pyvenv.cfg'));
}

/** Whether a file lies in a folder the walk skips, below the workspace folder. */
function inSkippedFolder(folder: string, file: string): boolean {
  for (let dir = dirname(file); dir.length > folder.length; dir = dirname(dir)) {
    if (skippedFolder(dir)) return true;
  }
  return false;
}

/** Whether a path (relative to its folder) is hidden by `files.exclude`: `{glob: true}` entries. */
export function excludedBy(filesExclude: unknown, rel: string): boolean {
  if (!filesExclude || typeof filesExclude !== 'object') return false;
  const globs = Object.entries(filesExclude as Record<string, unknown>)
    .filter(([, on]) => on === true)
    .map(([g]) => g);
  if (!globs.length) return false;
  // A folder glob (`**/build`) hides everything below it.
  const parts = rel.split('/');
  return parts.some((_, i) => matchesGlob(parts.slice(0, i + 1).join('/'), globs));
}
