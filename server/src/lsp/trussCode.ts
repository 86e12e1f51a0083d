/**
 * The model code of each Truss the server knows: the Python files under the folders its config names,
 * the open documents' text over the disk's. A config's code is one object until one of its files
 * changes, so the analyses of a config's versions share it, and a keystroke in config.yaml parses no
 * Python file (core/truss/modelCode.ts keeps each file's reads with its object).
 */
import { dirname, join, relative } from 'node:path';
import type { CodeFile, ModelCode } from '../core/truss/modelCode';
import { sameText } from '../core/python/secretReads';
import { fileReads, inCodeDirs, isRead } from '../core/truss/modelCode';
import { filePathOf, pathToUri } from './uris';

export interface TrussCodeDeps {
  /** The text of an open document at a file path, and its URI. */
  open(path: string): { uri: string; text: string } | undefined;
  /** The Python files below `dirs` of a config's folder `base` (paths relative to `base`, with `/`). */
  list(base: string, dirs: readonly string[]): string[];
  /** A file's text from disk, or undefined. */
  read(path: string): string | undefined;
  /** A config's text from disk, or undefined. */
  readConfig(path: string): string | undefined;
  /** The config files in the folders above a file, nearest first. */
  above(path: string): string[];
  /** The set of folders whose code is followed changed (a Truss found, gone, or its folders changed). */
  foldersChanged?(): void;
}

interface Known {
  /** The config's folder. */
  base: string;
  dirs: readonly string[];
}

interface Loaded extends Known {
  key: string;
  files: Map<string, CodeFile>;
  code: ModelCode;
  /** Every file's reads are known: an analysis takes the code without parsing (see `warm`). */
  ready: boolean;
}

/** How many Trusses keep their model code in memory (the ones used last). */
const LOADED = 64;

export class TrussCode {
  /** Every Truss config seen, with the folders of its code: who owns a Python file. */
  private readonly known = new Map<string, Known>();
  private readonly loaded = new Map<string, Loaded>();

  constructor(private readonly deps: TrussCodeDeps) {}

  /**
   * The model code of the Truss config at `configUri` whose value names `dirs`: read from disk once (the
   * open documents' text over it), then the same object until one of its files changes. Undefined for a
   * config that is not a file (an untitled document has no folder), and while a file of it has not been
   * parsed yet: `warm` parses them one per turn of the event loop, so that a Truss with many files never
   * holds up typing, and the analysis is made again then.
   */
  code(configUri: string, dirs: readonly string[]): ModelCode | undefined {
    const entry = this.load(configUri, dirs);
    if (entry && !entry.ready) entry.ready = entry.code.files.every(isRead);
    return entry?.ready ? entry.code : undefined;
  }

  /** Whether the config's code is loaded and waits for `warm`. */
  cold(configUri: string): boolean {
    const entry = this.loaded.get(configUri);
    return !!entry && !entry.ready;
  }

  /** Parses the files of a config's code not parsed yet, one per turn of the event loop. */
  async warm(configUri: string): Promise<void> {
    for (;;) {
      const entry = this.loaded.get(configUri);
      if (!entry || entry.ready) return;
      const next = entry.code.files.find((f) => !isRead(f));
      if (!next) {
        entry.ready = true;
        return;
      }
      fileReads(next);
      await new Promise((r) => setImmediate(r));
    }
  }

  private load(configUri: string, dirs: readonly string[]): Loaded | undefined {
    const path = filePathOf(configUri);
    if (path === undefined) return undefined;
    const base = dirname(path);
    const key = dirs.join('\u0000');
    const was = this.known.get(configUri);
    this.known.set(configUri, { base, dirs });
    if (!was || was.base !== base || was.dirs.join('\u0000') !== key) this.deps.foldersChanged?.();
    const hit = this.loaded.get(configUri);
    if (hit && hit.key === key && hit.base === base) {
      this.loaded.delete(configUri);
      this.loaded.set(configUri, hit);
      return hit;
    }
    const files = new Map<string, CodeFile>();
    for (const rel of this.deps.list(base, dirs)) {
      const abs = join(base, rel);
      const text = this.deps.open(abs)?.text ?? this.deps.read(abs);
      if (text !== undefined) files.set(rel, { path: rel, text });
    }
    const entry: Loaded = { base, dirs, key, files, code: { files: sorted(files) }, ready: false };
    this.loaded.delete(configUri);
    this.loaded.set(configUri, entry);
    if (this.loaded.size > LOADED) this.loaded.delete(this.loaded.keys().next().value!);
    return entry;
  }

  /** The code an analysis of this config would read now (undefined when not loaded or not parsed yet). */
  current(configUri: string): ModelCode | undefined {
    const entry = this.loaded.get(configUri);
    return entry?.ready ? entry.code : undefined;
  }

  /** The config is no Truss config (or is gone): its code is not followed. */
  forget(configUri: string): void {
    this.loaded.delete(configUri);
    if (this.known.delete(configUri)) this.deps.foldersChanged?.();
  }

  /** The configs above a file (the Trusses that may hold it), as URIs: an open document's, else the file's. */
  configsAbove(path: string): string[] {
    return this.deps.above(path).map((p) => this.deps.open(p)?.uri ?? pathToUri(p));
  }

  /** A config's text on disk. */
  readConfig(configUri: string): string | undefined {
    const path = filePathOf(configUri);
    return path === undefined ? undefined : this.deps.readConfig(path);
  }

  /** The known Truss configs whose code holds the file at `path`, nearest folder first, with its path there. */
  owners(path: string): Array<{ configUri: string; file: string }> {
    const out: Array<{ configUri: string; file: string; depth: number }> = [];
    for (const [configUri, k] of this.known) {
      const rel = relative(k.base, path).split('\\').join('/');
      if (inCodeDirs(rel, k.dirs)) out.push({ configUri, file: rel, depth: k.base.length });
    }
    return out.sort((a, b) => b.depth - a.depth).map(({ configUri, file }) => ({ configUri, file }));
  }

  /** The folders of every known Truss's code, absolute: what the server asks the client to watch. */
  folders(): string[] {
    const out = new Set<string>();
    for (const k of this.known.values()) for (const d of k.dirs) out.add(join(k.base, d));
    return [...out].sort();
  }

  /**
   * A Python file changed: opened, edited or closed in the editor, or created, changed or deleted on disk.
   * Every loaded Truss that holds it takes its new text (the open document's, else the disk's); returns
   * the configs whose code holds it (loaded or not), whose analyses are now out of date.
   */
  changed(path: string): string[] {
    const owners = this.owners(path);
    let text: string | undefined | null = null; // read once, for every owner
    for (const { configUri, file } of owners) {
      const entry = this.loaded.get(configUri);
      if (!entry) continue;
      if (text === null) text = this.deps.open(path)?.text ?? this.deps.read(path);
      const had = entry.files.get(file);
      if (had && had.text === text) {
        // The same text, read anew (opened, closed): the file and the parse cache keep only this copy.
        had.text = text;
        sameText(text);
        continue;
      }
      if (text === undefined) entry.files.delete(file);
      else entry.files.set(file, { path: file, text });
      entry.code = { files: sorted(entry.files) };
      entry.ready = false;
    }
    return owners.map((o) => o.configUri);
  }

  /** The URI of a file of a config's Truss: the open document's, else the file's. */
  uriOf(configUri: string, file: string): string | undefined {
    const path = filePathOf(configUri);
    if (path === undefined) return undefined;
    const abs = join(dirname(path), file);
    return this.deps.open(abs)?.uri ?? pathToUri(abs);
  }
}

function sorted(files: Map<string, CodeFile>): CodeFile[] {
  return [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
