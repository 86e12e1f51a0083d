/**
 * A Truss's model code on disk: the Python files truss packages with a config, for the checker and
 * the server alike. Unreadable files and folders are left out: the code is checked as far as it is there.
 */
import { type Dirent, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Folders never searched for model code (a virtual environment is recognised by its pyvenv.cfg too). */
const SKIP = new Set([
  '__pycache__',
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  '.venv',
  'venv',
  '.tox',
  '.nox',
  'site-packages',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
]);
/** Past these, a file or a Truss's code is not read: a vendored library is not model code worth a parse. */
const MAX_CODE_FILE = 1_000_000;
const MAX_CODE_FILES = 2_000;
const MAX_DEPTH = 32;

/**
 * The Python files below a config's folder `base`, in `dirs` (relative to it, `codeDirs`), as paths
 * relative to `base` with `/`: sorted, each once, without what the walk skips.
 */
export function listCodeFiles(base: string, dirs: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = (dir: string, rel: string, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (out.length >= MAX_CODE_FILES) return;
      const p = join(dir, e.name);
      const r = rel === '.' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (!SKIP.has(e.name) && !existsSync(join(p, 'pyvenv.cfg'))) walk(p, r, depth + 1);
      } else if (e.name.endsWith('.py') && !seen.has(r) && (e.isFile() || e.isSymbolicLink())) {
        seen.add(r);
        out.push(r);
      }
    }
  };
  for (const d of dirs) walk(join(base, d), d, 0);
  return out;
}

/** A Python file's text, or undefined (gone, too large, not UTF-8, not a file). */
export function readCodeFile(path: string): string | undefined {
  try {
    const stat = statSync(path);
    if (!stat.isFile() || stat.size > MAX_CODE_FILE) return undefined;
    return new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path));
  } catch {
    return undefined;
  }
}

/**
 * A config's folder, as detection asks about it (core/truss/detect.ts `Folder`): whether a path relative
 * to it exists (its model code, `data/`, `packages/`).
 */
export function configFolder(configPath: string): (path: string) => boolean {
  const dir = dirname(configPath);
  return (path) => existsSync(join(dir, path));
}
