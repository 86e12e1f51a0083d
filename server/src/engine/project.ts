/**
 * The project config file, `.truss-config.yaml`: rule severities, `files` and `ignore` globs and the
 * detect mode for every config below its folder. The editor and the checker find it the same way:
 * the nearest one above the checked file. Reading is pure: the caller passes a file reader.
 */
import { redactCredentials } from '../core/truss/credentials';
import type { DetectMode } from '../core/truss/detect';
import { matchesGlob } from '../core/glob';
import { type ParsedDocument as Parsed, ParsedDocument } from '../core/yaml/parse';
import { keyRangeAt, repeatedKeys, valueRangeAt } from '../core/yaml/query';
import { closest } from '../core/truss/suggest';
import type { Range, Severity } from '../core/types';
import { CODES } from './rules';
import { DEFAULT_FILES, LEVELS, type Settings, isRecord } from './settings';

export const PROJECT_FILE_NAMES = ['.truss-config.yaml', '.truss-config.yml'];
const KEYS = ['rules', 'files', 'ignore', 'detect'];

export interface ProjectConfig {
  rules: Record<string, Severity | 'off'>;
  files?: string[];
  ignore: string[];
  detect?: DetectMode;
}

export interface ProjectProblem {
  message: string;
  range: Range;
  /** A key that is a near miss: the key path, and the known key it is close to ("did you mean"). */
  nearMiss?: { path: string[]; to: string };
}

export interface ProjectFile {
  /** The file's path, with `/` separators. */
  path: string;
  /** Its folder: the globs it holds are relative to it. */
  root: string;
  /** Undefined when the file has problems: then it is not applied. */
  config?: ProjectConfig;
  problems: ProjectProblem[];
}

export function isProjectFile(path: string): boolean {
  return PROJECT_FILE_NAMES.includes(path.slice(path.lastIndexOf('/') + 1));
}

/** Reads a project file's text; every problem is located at its node. */
export function readProject(text: string): { config?: ProjectConfig; problems: ProjectProblem[] } {
  const parsed = new ParsedDocument(text);
  if (parsed.tooLarge) return { problems: [{ message: 'the file is too large to read', range: parsed.range(0, 0) }] };
  // One message for a syntax error, at the first: the parser's others follow from it, and those about
  // PyYAML and truss are about config.yaml, which truss reads; this file only we do.
  const errors = parsed.problems
    .filter((p) => p.severity === 'error')
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  if (errors.length) {
    const said = errors.find((p) => !/truss|PyYAML/.test(p.message));
    const why = said && said.range.start.line === errors[0].range.start.line ? `: ${said.message}` : '';
    const message = `Not valid YAML${why}; the project file is not applied.`;
    return { problems: redacted([{ message, range: (said ?? errors[0]).range }]) };
  }
  const problems: ProjectProblem[] = repeatedKeys(parsed.rootMap).map(({ path, pair }) => ({
    message:
      `Duplicate key \`${path[path.length - 1]}\`${path.length > 1 ? ` in \`${path.slice(0, -1).join('.')}\`` : ''}: ` +
      'give it once (YAML keeps only the last)',
    range: parsed.keyRange(pair),
  }));
  const value = parsed.value;
  const config: ProjectConfig = { rules: {}, ignore: [] };
  if (value == null) return { config, problems };
  if (!isRecord(value)) {
    return {
      problems: [{ message: 'the file must be a mapping of rules, files, ignore and detect', range: all(parsed) }],
    };
  }
  const at = (path: string[], message: string, key = false, near?: string): void => {
    const range = key ? keyRangeAt(parsed, path) : valueRangeAt(parsed, path);
    problems.push(near ? { message, range, nearMiss: { path, to: near } } : { message, range });
  };
  for (const [key, v] of Object.entries(value)) {
    if (!KEYS.includes(key)) {
      const near = closest(key, KEYS, 1)[0];
      at(
        [key],
        `Unknown key \`${key}\`${near ? `: did you mean \`${near}\`?` : ''} (rules, files, ignore or detect)`,
        true,
        near,
      );
    } else if (key === 'rules') {
      if (v == null) continue;
      if (!isRecord(v)) {
        at([key], '`rules` must be a mapping of code: severity');
        continue;
      }
      for (const [code, level] of Object.entries(v)) {
        if (!CODES.has(code)) {
          const near = closest(code, CODES.keys(), 1)[0];
          at([key, code], `Unknown code \`${code}\`${near ? `: did you mean \`${near}\`?` : ''}`, true, near);
        } else if (level === false) {
          config.rules[code] = 'off'; // YAML 1.1 reads a bare `off` as false
        } else if (typeof level !== 'string' || !LEVELS.has(level)) {
          at([key, code], `\`${code}\` must be off, hint, information, warning or error`);
        } else config.rules[code] = level as Severity | 'off';
      }
    } else if (key === 'files' || key === 'ignore') {
      if (!Array.isArray(v) || v.some((g) => typeof g !== 'string' || g.trim() === '')) {
        at([key], `\`${key}\` must be a list of glob patterns`);
      } else if (key === 'files') config.files = v as string[];
      else config.ignore = v as string[];
    } else if (v === 'auto' || v === 'always' || v === 'never') config.detect = v;
    else at([key], '`detect` must be auto, always or never');
  }
  return problems.length ? { problems: redacted(problems) } : { config, problems };
}

function all(parsed: Parsed): Range {
  return parsed.nodeRange(parsed.root) ?? parsed.range(0, 0);
}

function redacted(problems: ProjectProblem[]): ProjectProblem[] {
  return problems.map((p) => ({ ...p, message: redactCredentials(p.message) }));
}

/**
 * Settings with a project file applied. What the editor sets overrides the file: a code's severity,
 * a detect mode other than auto, `files` other than the default.
 */
export function withProject(settings: Settings, project: ProjectFile): Settings {
  const config = project.config;
  if (!config) return settings;
  const ownFiles = !sameList(settings.files, DEFAULT_FILES);
  return {
    ...settings,
    rules: { ...config.rules, ...settings.rules },
    detect: settings.detect !== 'auto' ? settings.detect : (config.detect ?? 'auto'),
    files: ownFiles ? settings.files : (config.files ?? settings.files),
    filesRoot: ownFiles || !config.files ? undefined : project.root,
    ignore: config.ignore,
    ignoreRoot: project.root,
    project: project.path,
  };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Whether settings select a file (a path with `/` separators) as a possible Truss config: its path
 * matches `files`, or `ignore` hides it or a folder above it.
 */
export function selection(settings: Settings, path: string): 'selected' | 'ignored' | 'unnamed' {
  if (settings.ignore.length && settings.ignoreRoot !== undefined) {
    const rel = below(settings.ignoreRoot, path);
    if (rel !== undefined && hidden(rel, settings.ignore)) return 'ignored';
  }
  const rel = settings.filesRoot === undefined ? path : below(settings.filesRoot, path);
  return rel !== undefined && matchesGlob(rel, settings.files) ? 'selected' : 'unnamed';
}

/** Whether `ignore` hides a whole folder (a path with `/` separators). */
export function ignoresFolder(settings: Settings, folder: string): boolean {
  if (!settings.ignore.length || settings.ignoreRoot === undefined) return false;
  const rel = below(settings.ignoreRoot, folder);
  return rel !== undefined && hidden(rel + '/', settings.ignore);
}

/** Whether `ignore` hides a path relative to the project folder, or a folder above it. */
export function hidden(rel: string, ignore: readonly string[]): boolean {
  const parts = rel.split('/');
  return parts.some((_, i) => {
    const prefix = parts.slice(0, i + 1).join('/');
    return matchesGlob(prefix, ignore) || (i < parts.length - 1 && matchesGlob(prefix + '/', ignore));
  });
}

function below(root: string, path: string): string | undefined {
  const base = root.endsWith('/') ? root : root + '/';
  return path.startsWith(base) ? path.slice(base.length) : undefined;
}

/** Finds and reads the project file nearest above each path, once per folder until forgotten. */
export class ProjectFiles {
  private readonly byFolder = new Map<string, ProjectFile | null>();
  /** The project files read, by path. */
  private readonly files = new Map<string, ProjectFile>();

  /** `read` answers a file's text, or undefined when there is none. */
  constructor(private readonly read: (path: string) => string | undefined) {}

  /** The project file that applies to a file (a path with `/` separators), if any. */
  for(path: string): ProjectFile | undefined {
    const slash = path.lastIndexOf('/');
    return slash < 0 ? undefined : this.inFolder(path.slice(0, slash));
  }

  /** The project file that applies in a folder (a path with `/` separators): its own, or the nearest above. */
  inFolder(folder: string): ProjectFile | undefined {
    return this.nearest(folder) ?? undefined;
  }

  /** Every project file read so far. */
  known(): ProjectFile[] {
    return [...this.files.values()];
  }

  forget(): void {
    this.byFolder.clear();
    this.files.clear();
  }

  private nearest(folder: string): ProjectFile | null {
    const hit = this.byFolder.get(folder);
    if (hit !== undefined) return hit;
    let found: ProjectFile | null = null;
    for (const name of PROJECT_FILE_NAMES) {
      const path = `${folder}/${name}`;
      const text = this.read(path);
      if (text === undefined) continue;
      found = { path, root: folder === '' ? '/' : folder, ...readProject(text) };
      this.files.set(path, found);
      break;
    }
    if (!found) {
      const slash = folder.lastIndexOf('/');
      found = slash < 0 ? null : this.nearest(folder.slice(0, slash));
    }
    this.byFolder.set(folder, found);
    return found;
  }
}
