/**
 * The Truss as one unit: its config and the Python code truss packages with it. Which folders hold
 * that code comes from the config (`model_module_dir`, `bundled_packages_dir`, `external_package_dirs`,
 * relative to the config's folder); the texts come from the caller (the checker reads them, the server
 * reads them and lays the open documents over them). The core never reads a file.
 */
import { pythonSecrets, positionOf, type PythonRead, type PythonSecrets } from '../python/secretReads';
import type { Range } from '../types';

export interface CodeFile {
  /** Relative to the config's folder, with `/`: `model/model.py`. */
  path: string;
  text: string;
}

/** The model code of one Truss: what its config's analysis reads secrets from. */
export interface ModelCode {
  files: readonly CodeFile[];
}

export const DEFAULT_MODEL_DIR = 'model';
export const DEFAULT_PACKAGES_DIR = 'packages';

/**
 * The folders truss packages as code, relative to the config's folder (`/`, no `./`, no trailing `/`):
 * the model module's, the bundled packages' and each external package folder (which may lie outside,
 * `../shared`).
 */
export function codeDirs(value: unknown): string[] {
  const v =
    typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const dir = (x: unknown, fallback: string) => (typeof x === 'string' && x.trim() ? clean(x) : fallback);
  const dirs = [dir(v.model_module_dir, DEFAULT_MODEL_DIR), dir(v.bundled_packages_dir, DEFAULT_PACKAGES_DIR)];
  if (Array.isArray(v.external_package_dirs)) {
    for (const d of v.external_package_dirs) if (typeof d === 'string' && d.trim()) dirs.push(clean(d));
  }
  return [...new Set(dirs)];
}

function clean(path: string): string {
  let p = path.trim().split('\\').join('/');
  while (p.startsWith('./')) p = p.slice(2);
  while (p.endsWith('/') && p.length > 1) p = p.slice(0, -1);
  return p || '.';
}

/** Whether a path relative to the config's folder is inside one of `dirs`. */
export function inCodeDirs(path: string, dirs: readonly string[]): boolean {
  return dirs.some((d) => d === '.' || path === d || path.startsWith(`${d}/`));
}

/** A read of a secret in one file of the model code, with its range in that file. */
export interface CodeRead extends PythonRead {
  file: string;
  range: Range;
}

/** Each file's reads with their ranges, kept with the file's parse: a config keystroke rebuilds none. */
const ranged = new WeakMap<PythonSecrets, Map<string, CodeRead[]>>();
/** By file object too: a caller that keeps its files (the server) never loses a parse to the text cache. */
const byFile = new WeakMap<CodeFile, { found: PythonSecrets; reads: readonly CodeRead[] }>();

/** The reads of one file, with ranges (its text parsed once: `pythonSecrets` caches by text). */
export function fileReads(file: CodeFile): { found: PythonSecrets; reads: readonly CodeRead[] } {
  const kept = byFile.get(file);
  if (kept) return kept;
  const found = pythonSecrets(file.text);
  let byPath = ranged.get(found);
  if (!byPath) ranged.set(found, (byPath = new Map<string, CodeRead[]>()));
  let reads = byPath.get(file.path);
  if (!reads) {
    reads = found.reads.map((r) => ({
      ...r,
      file: file.path,
      range: { start: positionOf(found, r.from), end: positionOf(found, r.to) },
    }));
    byPath.set(file.path, reads);
  }
  const result = { found, reads };
  byFile.set(file, result);
  return result;
}

/** Whether a file's reads are known already (then `fileReads` costs a lookup, not a parse). */
export function isRead(file: CodeFile): boolean {
  return byFile.has(file);
}

/** The file of the model code at a path, if the Truss has it. */
export function codeFile(code: ModelCode | undefined, path: string): CodeFile | undefined {
  return code?.files.find((f) => f.path === path);
}
