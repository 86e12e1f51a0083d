import { DetectMode } from '../core/detect';
import { Finding } from '../core/types';
import { FileResult, InputError, checkFile, expandInputs } from './check';

const USAGE = `Usage: truss-config [--format text|json] [--detect auto|always] <file or folder>...

Checks Truss config.yaml files. A folder is searched for config.yaml and config.yml
(node_modules and .git are skipped).

  --format text|json   text: path:line:col: severity code message (default); json: LSP ranges
  --detect auto|always auto: skip files that are not Truss configs (default); always: check every file
  -h, --help           show this help

Exit status: 0 no errors, 1 errors found, 2 bad usage or unreadable input.
`;

type Write = (s: string) => void;

interface Options {
  format: 'text' | 'json';
  detect: DetectMode;
  inputs: string[];
}

class UsageError extends Error {}

function parseArgs(args: string[]): Options | 'help' {
  const opts: Options = { format: 'text', detect: 'auto', inputs: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '-h' || flag === '--help') return 'help';
    else if (flag === '--format') {
      const v = value();
      if (v !== 'text' && v !== 'json') throw new UsageError(`unknown format '${v}' (text or json)`);
      opts.format = v;
    } else if (flag === '--detect') {
      const v = value();
      if (v !== 'auto' && v !== 'always') throw new UsageError(`unknown detect mode '${v}' (auto or always)`);
      opts.detect = v;
    } else if (flag === '--') opts.inputs.push(...args.slice(i + 1)), (i = args.length);
    else if (flag.startsWith('-') && flag !== '-') throw new UsageError(`unknown option '${flag}'`);
    else opts.inputs.push(arg);
  }
  if (opts.inputs.length === 0) throw new UsageError('no file or folder given');
  return opts;
}

/** Runs the checker; returns the exit code. */
export function main(args: string[], out: Write, err: Write): number {
  let opts: Options | 'help';
  try {
    opts = parseArgs(args);
  } catch (e) {
    err(`truss-config: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (opts === 'help') {
    out(USAGE);
    return 0;
  }
  const results: FileResult[] = [];
  let unreadable = false;
  try {
    for (const file of expandInputs(opts.inputs)) {
      try {
        const result = checkFile(file, opts.detect);
        for (const m of result.internalErrors) err(`truss-config: internal error while checking ${file}, ${m}: please report it\n`);
        if (result.internalErrors.length) unreadable = true;
        results.push(result);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        err(`truss-config: ${e.message}\n`);
        unreadable = true;
      }
    }
  } catch (e) {
    err(`truss-config: ${e instanceof InputError ? e.message : 'internal error: ' + String((e as Error)?.message ?? e).split('\n')[0]}\n`);
    return 2;
  }

  if (opts.format === 'json') out(JSON.stringify(results.filter((r) => r.checked).map(toJson), null, 2) + '\n');
  else out(toText(results));

  if (unreadable) return 2;
  return results.some((r) => r.findings.some((f) => f.severity === 'error')) ? 1 : 0;
}

function toJson(r: FileResult) {
  return {
    file: r.file,
    diagnostics: r.findings.map((f: Finding) => ({ range: f.range, severity: f.severity, code: f.code, message: f.message })),
  };
}

function toText(results: FileResult[]): string {
  const lines: string[] = [];
  const count = { error: 0, warning: 0, information: 0, hint: 0 };
  let checked = 0;
  for (const r of results) {
    if (!r.checked) continue;
    checked++;
    for (const f of r.findings) {
      count[f.severity]++;
      lines.push(`${r.file}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.code} ${f.message}`);
    }
  }
  const skipped = results.length - checked;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  let summary = `${plural(checked, 'file')} checked: ${plural(count.error, 'error')}, ${plural(count.warning, 'warning')}, ${count.information} information`;
  if (count.hint) summary += `, ${plural(count.hint, 'hint')}`;
  if (skipped) summary += ` (${skipped} skipped: not Truss configs)`;
  lines.push(summary);
  return lines.join('\n') + '\n';
}
