import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { apiBase, listSecrets, type Result } from '../baseten/api';
import { discoverKey } from '../baseten/keys';
import { type FoundTruss, findTruss, shippedSchema } from '../environment/truss';
import { configFolder } from '../environment/modelCode';
import { isNewer } from '../core/truss/release';
import { type ShippedSchema, shippedItems } from '../core/truss/shippedSchema';
import { type TrussRun, askMany } from '../trussRun/worker';
import { BasetenSecrets } from '../core/truss/basetenSecrets';
import type { AnalyzeOptions } from '../engine/analyze';
import type { ModelCode } from '../core/truss/modelCode';
import { type ProjectFile, ProjectFiles, ignoresFolder, readProject, selection, withProject } from '../engine/project';
import { DEFAULT_SETTINGS, type Settings } from '../engine/settings';
import {
  type FileResult,
  InputError,
  NotUtf8,
  checkText,
  expandInputs,
  readConfig,
  readModelCode,
  readsAsTrussConfig,
} from './check';
import { writeFixed } from './fix';
import { fixAll } from '../engine/fixAll';
import type { Severity } from '../core/types';
import { plural, toGithub, toJson, toSarif, toText } from './formats';
import { safeLines, safeWriter, say } from './sanitize';
import { redactCredentials } from '../core/truss/credentials';
import { version } from '../../../package.json';

const USAGE = `Usage: truss-config [options] <file or folder>...

Checks Truss config.yaml files. A folder is searched for config.yaml and config.yml
(node_modules and .git are skipped). The nearest .truss-config.yaml above each file
sets rule severities, the files to check (files) and those to skip (ignore).

  --format FORMAT        text: path:line:col: severity code message (default)
                         json: [{file, diagnostics}] with 0-based LSP ranges
                         sarif: SARIF 2.1.0 for code scanning
                         github: GitHub Actions annotations
  --detect auto|always   auto: skip files that are not Truss configs (default); always: check every file
  --config FILE          use this project config file (YAML or JSON) instead of the
                         .truss-config.yaml files; its globs are relative to the current folder
  --min-severity LEVEL   report only findings at LEVEL or above: error, warning, information or hint
                         (default: hint; information for sarif and github, which never show hints)
  --max-warnings N       exit 1 when there are more than N warnings, as ESLint does
  --fix                  apply the safe quick fixes in place, then report what is left
  --truss-version X      judge by truss X (the release you push with); without it, by the truss of the
                         Python environment given by --python, of a .venv or venv above each config,
                         or on PATH (read from its dist-info, never run), else by the newest known
  --python PATH          the Python interpreter whose truss to judge by
  --with-truss           also ask the installed truss (of --python, else the one found as above): run
                         its own config loading in Python and report what it refuses (truss-rejects);
                         when it cannot be asked, one line on stderr says why and the run goes on without
  --baseten              also check that the Baseten workspace has every secret the configs use
                         (secret-not-in-workspace; names only). The API key comes from BASETEN_API_KEY,
                         BASETEN_TRUSS_AUTH_API_KEY with BASETEN_TRUSS_AUTH_REMOTE_URL, or ~/.trussrc
                         (USER_TRUSSRC_PATH), with its team; when Baseten cannot be asked, one line on
                         stderr says why and the findings and exit status are as without it
  -h, --help             show this help
  --version              print the version

Exit status: 0 no errors, 1 errors found (or more warnings than --max-warnings),
2 bad usage, a bad project config file or unreadable input.
`;

type Write = (s: string) => void;
type Format = 'text' | 'json' | 'sarif' | 'github';

interface Options {
  format: Format;
  detect: 'auto' | 'always';
  config?: string;
  minSeverity?: Severity;
  maxWarnings?: number;
  fix: boolean;
  baseten: boolean;
  trussVersion?: string;
  python?: string;
  withTruss: boolean;
  inputs: string[];
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

class UsageError extends Error {}

function parseArgs(args: string[]): Options | 'help' | 'version' {
  const opts: Options = { format: 'text', detect: 'auto', fix: false, baseten: false, withTruss: false, inputs: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const [flag, inline] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(say`${flag} needs a value`);
      return v;
    };
    if (flag === '-h' || flag === '--help') return 'help';
    else if (flag === '--version') return 'version';
    else if (flag === '--format') {
      const v = value();
      if (!['text', 'json', 'sarif', 'github'].includes(v))
        throw new UsageError(say`unknown format '${v}' (text, json, sarif or github)`);
      opts.format = v as Format;
    } else if (flag === '--detect') {
      const v = value();
      if (v !== 'auto' && v !== 'always') throw new UsageError(say`unknown detect mode '${v}' (auto or always)`);
      opts.detect = v;
    } else if (flag === '--config') opts.config = value();
    else if (flag === '--min-severity') {
      const v = value();
      if (!(v in RANK)) throw new UsageError(say`unknown severity '${v}' (error, warning, information or hint)`);
      opts.minSeverity = v as Severity;
    } else if (flag === '--max-warnings') {
      const v = value();
      if (!/^\d+$/.test(v)) throw new UsageError(say`--max-warnings needs a whole number, not '${v}'`);
      opts.maxWarnings = Number(v);
    } else if (flag === '--fix') opts.fix = true;
    else if (flag === '--baseten') opts.baseten = true;
    else if (flag === '--with-truss') opts.withTruss = true;
    else if (flag === '--truss-version') {
      const v = value().replace(/^v/, '');
      if (!/^\d+(\.\d+)*$/.test(v)) throw new UsageError(`--truss-version needs a version such as 0.13.1`);
      opts.trussVersion = v;
    } else if (flag === '--python') opts.python = value();
    else if (flag === '--') {
      opts.inputs.push(...args.slice(i + 1));
      break;
    } else if (flag.startsWith('-') && flag !== '-') throw new UsageError(say`unknown option '${flag}'`);
    else opts.inputs.push(arg);
  }
  if (opts.inputs.length === 0) throw new UsageError('no file or folder given');
  return opts;
}

/**
 * The truss release each file is judged by: --truss-version, else the truss found for its folder
 * (environment/truss.ts), once per folder; each release found is said once on stderr.
 */
class Releases {
  private readonly byFolder = new Map<string, FoundTruss | undefined>();
  private readonly said = new Set<string>();
  private readonly shipped = new Map<string, ShippedSchema | undefined>();
  constructor(
    private readonly opts: Options,
    private readonly err: Write,
  ) {}

  for(file: string): string | undefined {
    return this.opts.trussVersion ?? this.found(file)?.version;
  }

  /** The interpreter to ask with --with-truss: --python, else the one of the truss found. */
  python(file: string): string | undefined {
    return this.opts.python ?? this.found(file)?.python;
  }

  /** What the schema of a truss newer than our data knows, when it ships one. */
  schema(file: string): ShippedSchema | undefined {
    const found = this.opts.trussVersion ? undefined : this.found(file);
    if (!found || !isNewer(found.version)) return undefined;
    const key = found.site ?? '';
    if (!this.shipped.has(key)) {
      const schema = shippedSchema(found);
      this.shipped.set(key, schema === undefined ? undefined : { version: found.version, items: shippedItems(schema) });
    }
    return this.shipped.get(key);
  }

  private found(file: string): FoundTruss | undefined {
    const folder = dirname(resolve(file));
    if (!this.byFolder.has(folder)) {
      const found = findTruss({ folder, python: this.opts.python, path: process.env.PATH });
      this.byFolder.set(folder, found);
      const key = found && `${found.version}\u0000${found.where}`;
      if (found && key && !this.said.has(key)) {
        this.said.add(key);
        this.err(say`truss-config: judging by truss ${found.version} (${found.source}: ${found.where})\n`);
      }
    }
    return this.byFolder.get(folder);
  }
}

/** A Truss config to check again with the installed truss's answer (--with-truss). */
interface TrussJob {
  file: string;
  text: string;
  options: AnalyzeOptions;
  python?: string;
  /** Where its results are, and how many. */
  at: number;
  count: number;
}

/**
 * Asks the installed truss about every config at once (one Python process per interpreter) and checks
 * again those it answered; when it cannot be asked, stderr says why, once per file.
 */
function withTruss(jobs: TrussJob[], results: FileResult[], err: Write): void {
  const byPython = new Map<string | undefined, TrussJob[]>();
  for (const j of jobs) byPython.set(j.python, [...(byPython.get(j.python) ?? []), j]);
  const redo: Array<[TrussJob, FileResult[]]> = [];
  for (const [python, group] of byPython) {
    const runs: TrussRun[] = python
      ? askMany(
          python,
          group.map((j) => j.text),
        )
      : group.map(() => ({ failed: 'no Python with truss installed was found (--python)' }));
    group.forEach((job, i) => {
      const run = runs[i];
      if ('failed' in run) err(say`truss-config: ${job.file}: truss not asked: ${run.failed}\n`);
      else redo.push([job, checkText(job.file, job.text, { ...job.options, trussSays: run.answer })]);
    });
  }
  // From the last, so that each job's place holds while the ones before it are replaced.
  for (const [job, again] of redo.sort((a, b) => b[0].at - a[0].at)) results.splice(job.at, job.count, ...again);
}

/** The settings of each file: the nearest project file above it, or the --config file for every file. */
class FileSettings {
  private readonly projects = new ProjectFiles(readSmall);
  private readonly given?: ProjectFile;
  private readonly reported = new Set<string>();

  constructor(private readonly opts: Options) {
    if (!opts.config) return;
    let text: string;
    try {
      text = readConfig(opts.config);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      throw new InputError(say`the --config file ${opts.config} cannot be read: ${e.why}`);
    }
    // Its globs are relative to the current folder, as for the paths given.
    this.given = { path: opts.config, root: slashed(resolve('.')), ...readProject(text) };
    this.refuse(this.given);
  }

  for(file: string): Settings {
    return this.inFolder(dirname(file));
  }

  /** The settings of the files of a folder. */
  inFolder(folder: string): Settings {
    const project = this.given ?? this.projects.inFolder(slashed(resolve(folder)));
    let s = DEFAULT_SETTINGS;
    if (project) {
      this.refuse(project);
      s = withProject(s, project);
    }
    return this.opts.detect === 'always' ? { ...s, detect: 'always' } : s;
  }

  /** A project file with problems stops the run: its settings would be guesses. */
  private refuse(project: ProjectFile): void {
    if (!project.problems.length || this.reported.has(project.path)) return;
    this.reported.add(project.path);
    const where = project === this.given ? project.path : relativeOrAbsolute(project.path);
    throw new InputError(
      project.problems
        .map((p) => say`${where}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.message}`)
        .join('\ntruss-config: '),
    );
  }
}

/** Whether the project file's own `files` globs (not the default ones) name a file. */
function namedByProject(settings: Settings, file: string): boolean {
  return settings.filesRoot !== undefined && selection(settings, slashed(resolve(file))) === 'selected';
}

function readSmall(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function slashed(path: string): string {
  return path.split(sep).join('/');
}

function relativeOrAbsolute(path: string): string {
  const rel = relative('.', path);
  return rel.startsWith('..') ? path : rel;
}

/** The workspace's secret names, with the key truss would use (its team too); never throws, never says the key. */
export async function basetenSecrets(env: NodeJS.ProcessEnv): Promise<Result<BasetenSecrets>> {
  const { found, keyring } = discoverKey(env);
  if (!found) {
    const why = keyring
      ? `the key of ${keyring} is in the OS keyring: set BASETEN_API_KEY`
      : 'no Baseten API key (BASETEN_API_KEY, BASETEN_TRUSS_AUTH_API_KEY or ~/.trussrc)';
    return { ok: false, reason: why };
  }
  const base = apiBase(env, found.remoteUrl);
  if (!base.ok) return base;
  const r = await listSecrets(base.value, found, found.team);
  return r.ok ? { ok: true, value: new BasetenSecrets(r.value.names, r.value.team) } : r;
}

/** Runs the checker, asking Baseten first with --baseten; returns the exit code. */
export async function run(args: string[], out: Write, rawErr: Write, env: NodeJS.ProcessEnv): Promise<number> {
  const err = safeWriter(rawErr);
  const end = args.indexOf('--');
  let baseten: BasetenSecrets | undefined;
  if ((end < 0 ? args : args.slice(0, end)).includes('--baseten') && !args.includes('-h') && !args.includes('--help')) {
    const r = await basetenSecrets(env);
    if (r.ok) baseten = r.value;
    else err(say`truss-config: Baseten secrets not checked: ${r.reason}\n`);
  }
  return main(args, out, err, baseten);
}

/**
 * Runs the checker; returns the exit code. Everything written to `err` goes through safeLines, and
 * the text output and help through toText and safeLines: no raw control character, no workflow command.
 */
export function main(args: string[], out: Write, rawErr: Write, baseten?: BasetenSecrets): number {
  const err = safeWriter(rawErr);
  let opts: Options | 'help' | 'version';
  try {
    opts = parseArgs(args);
  } catch (e) {
    err(`truss-config: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (opts === 'help') {
    out(safeLines(USAGE));
    return 0;
  }
  if (opts === 'version') {
    out(safeLines(`truss-config ${version}\n`));
    return 0;
  }
  const results: FileResult[] = [];
  const fixedByCode = new Map<string, number>();
  let fixedFiles = 0;
  let unreadable = false;
  try {
    const settings = new FileSettings(opts);
    const choose = (file: string, explicit: boolean): boolean => {
      const s = settings.for(file);
      const chosen = selection(s, slashed(resolve(file)));
      if (chosen === 'ignored' && explicit)
        err(say`truss-config: ${file}: skipped: ignored by ${relativeOrAbsolute(s.project ?? '')}\n`);
      return chosen === 'selected' || (explicit && chosen === 'unnamed');
    };
    const prune = (dir: string): boolean => ignoresFolder(settings.inFolder(dir), slashed(resolve(dir)));
    const releases = new Releases(opts, err);
    const jobs: TrussJob[] = [];
    for (const file of expandInputs(opts.inputs, choose, prune)) {
      const s = settings.for(file);
      const release = releases.for(file);
      // The model code of the Truss, from the folders its config names: read once per set of folders.
      const read = new Map<string, ModelCode>();
      const codeOf = (dirs: string[]): ModelCode => {
        const key = dirs.join('\u0000');
        let code = read.get(key);
        if (!code) read.set(key, (code = readModelCode(file, dirs)));
        return code;
      };
      const folder = configFolder(file);
      const shipped = releases.schema(file);
      const options: AnalyzeOptions = { detect: s.detect, folder, rules: s.rules, baseten, release, shipped, codeOf };
      try {
        let text = readConfig(file);
        if (opts.fix) {
          const result = fixAll(text, options);
          if (result.applied.length) {
            writeFixed(file, result.text);
            text = result.text;
            fixedFiles++;
            for (const { code } of result.applied) fixedByCode.set(code, (fixedByCode.get(code) ?? 0) + 1);
          }
          for (const s of result.skipped) {
            const where = s.file === undefined ? file : join(dirname(file), s.file);
            err(say`truss-config: ${where}:${s.line + 1}: not fixed: ${s.code}: ${redactCredentials(s.reason)}\n`);
          }
        }
        const [result, ...code] = checkText(file, text, options);
        // Only a Truss config is worth asking truss about.
        if (opts.withTruss && result.checked) {
          jobs.push({ file, text, options, python: releases.python(file), at: results.length, count: code.length + 1 });
        }
        for (const m of result.internalErrors)
          err(say`truss-config: internal error while checking ${file}, ${redactCredentials(m)}: please report it\n`);
        if (result.internalErrors.length) unreadable = true;
        results.push(result, ...code);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        // A file that is not UTF-8 is an error only when it is a Truss config: one the project file's
        // `files` names, any with detect `always`, or one whose keys still say so. Else it is skipped, as
        // another tool's config.yaml is.
        if (e instanceof NotUtf8 && !namedByProject(s, file) && !readsAsTrussConfig(e.bytes, options)) {
          err(say`truss-config: ${file}: skipped: not UTF-8 text, and not recognisable as a Truss config\n`);
          results.push({ file, checked: false, findings: [], internalErrors: [] });
          continue;
        }
        err(say`truss-config: ${file}: ${e.message}\n`);
        unreadable = true;
      }
    }
    withTruss(jobs, results, err);
  } catch (e) {
    const why = e instanceof InputError ? e.message : say`internal error: ${redactCredentials(firstLine(e))}`;
    err(`truss-config: ${why}\n`);
    return 2;
  }

  if (opts.fix) {
    const total = [...fixedByCode.values()].reduce((a, b) => a + b, 0);
    const detail = [...fixedByCode].map(([code, n]) => `${code} ×${n}`).join(', ');
    const what = `${plural(total, 'problem')} in ${plural(fixedFiles, 'file')}`;
    err(`truss-config: fixed ${what}${detail ? ` (${detail})` : ''}\n`);
  }
  const annotations = opts.format === 'sarif' || opts.format === 'github';
  const floor = RANK[opts.minSeverity ?? (annotations ? 'information' : 'hint')];
  for (const r of results) r.findings = r.findings.filter((f) => RANK[f.severity] <= floor);
  out(
    opts.format === 'json'
      ? toJson(results)
      : opts.format === 'sarif'
        ? toSarif(results, version)
        : opts.format === 'github'
          ? toGithub(results)
          : toText(results),
  );

  if (unreadable) return 2;
  const count = (s: Severity) => results.reduce((n, r) => n + r.findings.filter((f) => f.severity === s).length, 0);
  const warnings = count('warning');
  const tooMany = opts.maxWarnings !== undefined && warnings > opts.maxWarnings;
  if (tooMany) err(`truss-config: ${plural(warnings, 'warning')}, more than --max-warnings ${opts.maxWarnings}\n`);
  return count('error') > 0 || tooMany ? 1 : 0;
}

function firstLine(e: unknown): string {
  return String(e instanceof Error ? e.message : e).split('\n')[0];
}
