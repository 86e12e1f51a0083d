/**
 * Which truss the user pushes with, found without running Python: the `truss-<version>.dist-info`
 * of an environment's site-packages says it. In order: a pinned version, the interpreter the user
 * chose (setting, or VS Code's Python extension), a `.venv` or `venv` folder from the config's folder
 * up to the workspace root, `truss` on PATH, and, as a hint only, a `truss==X` pin in the
 * repository's requirements or pyproject.toml.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, delimiter, dirname, join, resolve } from 'node:path';

export type TrussSource = 'setting' | 'interpreter' | 'venv' | 'path' | 'requirements';

export interface FoundTruss {
  version: string;
  source: TrussSource;
  /** Where it was found, for the status line: a folder, a file or the setting's name. */
  where: string;
  /** The interpreter of the environment it is installed in (not for a pin or a requirements hint). */
  python?: string;
  /** The site-packages folder it is installed in. */
  site?: string;
}

export interface FindOptions {
  /** The config's folder. */
  folder: string;
  /** Where the upward search stops (the workspace folder); the file system's root without it. */
  root?: string;
  /** `trussConfig.truss.version` or `--truss-version`. */
  pin?: string;
  /** `trussConfig.truss.pythonPath`, `--python`, or the Python extension's interpreter. */
  python?: string;
  /** PATH, to find a `truss` command. */
  path?: string;
}

const VERSION = /^\d+(?:\.\d+)*(?:(?:a|b|rc|\.post|\.dev)\d+)?$/;

export function findTruss(o: FindOptions): FoundTruss | undefined {
  if (o.pin && VERSION.test(o.pin.trim().replace(/^v/, ''))) {
    return { version: o.pin.trim().replace(/^v/, ''), source: 'setting', where: 'trussConfig.truss.version' };
  }
  if (o.python) {
    const prefix = prefixOf(o.python);
    const found = prefix && installedAt(prefix);
    if (found) return { ...found, source: 'interpreter', where: o.python, python: o.python };
  }
  for (const dir of upward(o.folder, o.root)) {
    for (const name of ['.venv', 'venv']) {
      const prefix = join(dir, name);
      if (!existsSync(join(prefix, 'pyvenv.cfg'))) continue;
      const found = installedAt(prefix);
      if (found) return { ...found, source: 'venv', where: prefix, python: pythonIn(prefix) };
    }
  }
  for (const dir of (o.path ?? '').split(delimiter).filter(Boolean)) {
    for (const exe of ['truss', 'truss.exe']) {
      const file = join(dir, exe);
      if (!isFile(file)) continue;
      const shebang = shebangPython(file);
      const prefix = prefixOf(shebang ?? file);
      const found = prefix && installedAt(prefix);
      if (found) return { ...found, source: 'path', where: file, python: shebang ?? pythonIn(prefix) };
    }
  }
  for (const dir of upward(o.folder, o.root)) {
    for (const name of ['requirements.txt', 'requirements-dev.txt', 'pyproject.toml']) {
      const file = join(dir, name);
      const version = isFile(file) ? pinnedIn(readFileSync(file, 'utf8')) : undefined;
      if (version) return { version, source: 'requirements', where: file };
    }
  }
  return undefined;
}

/** The folders from `folder` up to `root` (included), or to the file system's root. */
function upward(folder: string, root?: string): string[] {
  const out: string[] = [];
  let dir = resolve(folder);
  const stop = root ? resolve(root) : undefined;
  for (;;) {
    out.push(dir);
    if (dir === stop || dirname(dir) === dir) break;
    dir = dirname(dir);
  }
  return stop && !out.includes(stop) ? [resolve(folder)] : out;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The environment an interpreter belongs to: `<prefix>/bin/python3` or `<prefix>\Scripts\python.exe`. */
function prefixOf(python: string): string | undefined {
  const bin = dirname(resolve(python));
  if (!['bin', 'Scripts'].includes(basename(bin))) return undefined;
  return dirname(bin);
}

/** The interpreter a script's `#!` line names. */
function shebangPython(file: string): string | undefined {
  const head = readFileSync(file, 'utf8').slice(0, 300);
  const m = /^#!\s*(\S+)/.exec(head);
  return m && /python/.test(basename(m[1])) ? m[1] : undefined;
}

/** An environment's interpreter. */
function pythonIn(prefix: string): string {
  const windows = join(prefix, 'Scripts', 'python.exe');
  return isFile(windows) ? windows : join(prefix, 'bin', 'python3');
}

/** The version of truss installed in an environment, from its `truss-<version>.dist-info`. */
export function installed(prefix: string): string | undefined {
  return installedAt(prefix)?.version;
}

/**
 * The schema the installed truss ships (`truss/config.schema.json`, from truss 0.15.10), parsed;
 * undefined when there is none or it is not JSON.
 */
export function shippedSchema(found: FoundTruss): unknown {
  if (!found.site) return undefined;
  try {
    return JSON.parse(readFileSync(join(found.site, 'truss', 'config.schema.json'), 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function installedAt(prefix: string): { version: string; site: string } | undefined {
  const sites: string[] = [join(prefix, 'Lib', 'site-packages')];
  for (const lib of ['lib', 'lib64']) {
    const dir = join(prefix, lib);
    if (!existsSync(dir)) continue;
    for (const py of readdirSync(dir)) if (/^python3(\.\d+)?$/.test(py)) sites.push(join(dir, py, 'site-packages'));
  }
  for (const site of sites) {
    if (!existsSync(site)) continue;
    for (const entry of readdirSync(site)) {
      if (!/^truss-[^-]+\.dist-info$/i.test(entry)) continue;
      const meta = join(site, entry, 'METADATA');
      const m = isFile(meta) ? /^Version:\s*(\S+)\s*$/m.exec(readFileSync(meta, 'utf8')) : null;
      const version = m?.[1] ?? entry.slice('truss-'.length, -'.dist-info'.length);
      if (VERSION.test(version)) return { version, site };
    }
  }
  return undefined;
}

/** `truss==X` in a requirements file or pyproject.toml (not `truss-chains`, not a range). */
export function pinnedIn(text: string): string | undefined {
  const m = /(?:^|["'\s])truss\s*===?\s*v?(\d+(?:\.\d+)*(?:(?:a|b|rc|\.post|\.dev)\d+)?)(?=\s*(?:["',;#]|$))/m.exec(
    text,
  );
  return m?.[1];
}
