import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type AnalyzeOptions, analyze } from '../engine/analyze';
import type { Finding } from '../core/types';
import type { CodeFile, ModelCode } from '../core/truss/modelCode';
import { listCodeFiles, readCodeFile } from '../environment/modelCode';
import { say } from './sanitize';

const SKIP_DIRS = new Set(['node_modules', '.git']);

export interface FileResult {
  file: string;
  /** False when the file is not a Truss config and was not checked. */
  checked: boolean;
  findings: Finding[];
  /** Messages of rules that failed on this file (a bug of ours). */
  internalErrors: string[];
}

export class InputError extends Error {
  /** The reason alone, without the file's name. */
  constructor(
    message: string,
    readonly why = message,
  ) {
    super(message);
  }
}

/** A file that is not UTF-8 text (truss cannot read it either), with its bytes for a guess at what it is. */
export class NotUtf8 extends InputError {
  constructor(
    file: string,
    readonly bytes: Uint8Array,
  ) {
    super(say`cannot read ${file}: not UTF-8 text`, 'not UTF-8 text');
  }
}

/**
 * Whether bytes that are not UTF-8 still read as a Truss config by their keys and folder (each byte that
 * is not UTF-8 read as U+FFFD), under a detect mode: `always` takes any file.
 */
export function readsAsTrussConfig(bytes: Uint8Array, options: Pick<AnalyzeOptions, 'detect' | 'folder'>): boolean {
  return analyze(new TextDecoder('utf-8').decode(bytes), { detect: options.detect, folder: options.folder }).truss;
}

/** Whether a file is checked: `explicit` when it was named on the command line. */
export type Choose = (path: string, explicit: boolean) => boolean;

/**
 * The files to check: each file named, and the YAML files below each folder that `choose` takes
 * (symlinked folders are not followed). `prune` tells a folder whose contents are all left out. A file
 * named twice, or named and found in a folder named too, is checked once (compared by real path).
 */
export function expandInputs(inputs: string[], choose: Choose, prune: (dir: string) => boolean): string[] {
  const files: string[] = [];
  const seen = new Set<string>();
  /** Files a folder's walk chose, whether new or already listed. */
  let found = 0;
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      throw new InputError(say`cannot read folder ${dir}: ${reason(e)}`);
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !prune(p)) walk(p);
      } else if (/\.ya?ml$/.test(e.name) && (e.isFile() || isFileLink(p)) && choose(p, false)) {
        found++;
        add(p);
      }
    }
  };
  const add = (p: string): void => {
    let real = p;
    try {
      real = realpathSync(p);
    } catch {
      // reported when read
    }
    if (!seen.has(real)) {
      seen.add(real);
      files.push(p);
    }
  };
  for (const input of inputs) {
    let st;
    try {
      st = statSync(input);
    } catch (e) {
      throw new InputError(say`cannot read ${input}: ${reason(e)}`);
    }
    if (st.isDirectory()) {
      found = 0;
      walk(input);
      if (!found) throw new InputError(say`no config.yaml or config.yml in ${input}`);
    } else if (st.isFile()) {
      if (choose(input, true)) add(input);
    } else throw new InputError(say`cannot read ${input}: not a regular file`);
  }
  return files;
}

function isFileLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink() && statSync(p).isFile();
  } catch {
    return false;
  }
}

export function readConfig(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new InputError(say`cannot read ${file}: ${reason(e)}`, reason(e));
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new NotUtf8(file, bytes);
  }
}

/**
 * Checks a config and, given its model code, the code's reads: the config's result first, then one
 * result per Python file with findings (named from the config's folder, as the other results are).
 */
export function checkText(file: string, text: string, options: AnalyzeOptions): FileResult[] {
  const a = analyze(text, options);
  const internalErrors = a.internalErrors.map(
    ({ rule, error }) => `rule ${rule}: ${error instanceof Error ? error.message.split('\n')[0] : 'failed'}`,
  );
  const own = a.findings.filter((f) => f.file === undefined);
  const results: FileResult[] = [{ file, checked: a.truss, findings: own, internalErrors }];
  const byFile = new Map<string, Finding[]>();
  for (const f of a.findings) {
    if (f.file === undefined) continue;
    const list = byFile.get(f.file) ?? [];
    list.push({ ...f, file: undefined });
    byFile.set(f.file, list);
  }
  const base = dirname(file);
  for (const [path, findings] of byFile) {
    results.push({ file: base === '.' ? path : join(base, path), checked: true, findings, internalErrors: [] });
  }
  return results;
}

/** The Python files truss packages with the config `file` (`dirs`: the folders its value names, `codeDirs`). */
export function readModelCode(file: string, dirs: readonly string[]): ModelCode {
  const base = dirname(file);
  const files: CodeFile[] = [];
  for (const path of listCodeFiles(base, dirs)) {
    const text = readCodeFile(join(base, path));
    if (text !== undefined) files.push({ path, text });
  }
  return { files };
}

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'too many symbolic links';
  if (code === 'EISDIR') return 'is a folder';
  return code ?? 'unreadable';
}
