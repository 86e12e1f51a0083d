/**
 * The GitHub Action (action.yml): runs the checker on the `paths` input, writes workflow annotations
 * and a job summary, and sets the exit status per `fail-on`.
 */
import { appendFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { type JsonResult, commandData, plural, summaryLine, toGithub } from './formats';
import { main } from './main';
import { printable, safeLines, say } from './sanitize';

type Env = Record<string, string | undefined>;
type Write = (s: string) => void;

const FAIL_ON = ['error', 'warning', 'never'];
const RULE_DOCS = 'https://github.com/truss-config/truss-config/blob/main/docs/rules/';
/** Rows in the job summary at most (GitHub takes 1 MiB per step). */
const MAX_ROWS = 1000;

/** An input as the runner passes it: `INPUT_<name upper-cased, spaces as _>`, hyphens kept. */
function input(env: Env, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/**
 * Runs the action in the workspace (the current folder); returns the exit code. It writes one stream,
 * so that the runner sees its lines in order. What is not an annotation of ours (the checker's notes,
 * a failure) is written between `::stop-commands::<token>` and `::<token>::`, with a token drawn anew
 * for each run, and goes through safeLines (sanitize.ts) too; the annotations are escaped as the runner
 * reads a workflow command (formats.ts). No text of a file, a file name or an input can start a command.
 */
export function runAction(env: Env, out: Write, token: string = crypto.randomUUID().replace(/-/g, '')): number {
  const quiet = (text: string) => out(`::stop-commands::${token}\n${safeLines(text)}\n::${token}::\n`);
  try {
    return run(env, out, quiet);
  } catch (e) {
    quiet(say`truss-config: the Action failed: ${e instanceof Error ? e.message : e}`);
    out('::error title=truss-config::the Action failed (see the log)\n');
    return 2;
  }
}

function run(env: Env, out: Write, quiet: Write): number {
  const workspace = resolve(env.GITHUB_WORKSPACE || '.');
  const failOn = input(env, 'fail-on') || 'error';
  if (!FAIL_ON.includes(failOn)) {
    out(`::error title=truss-config::${commandData(say`fail-on must be error, warning or never, not '${failOn}'`)}\n`);
    return 2;
  }
  const paths = input(env, 'paths').split(/\s+/).filter(Boolean);
  const args = ['--format', 'json', '--min-severity', input(env, 'min-severity') || 'information'];
  const config = input(env, 'config');
  if (config) args.push('--config', config);
  args.push('--', ...(paths.length ? paths : ['.']));

  let json = '';
  let notes = '';
  const code = main(
    args,
    (s) => (json += s),
    (s) => (notes += s),
  );
  if (notes) quiet(notes.replace(/\n$/, ''));
  const firstError = safeLines(notes.split('\n')[0]);
  const results = json ? (JSON.parse(json) as JsonResult[]) : [];
  for (const r of results) r.file = workspacePath(workspace, r.file);
  out(toGithub(results.map((r) => ({ file: r.file, checked: true, findings: r.diagnostics }))));

  const count = (s: string) => results.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === s).length, 0);
  const errors = count('error');
  const warnings = count('warning');
  const line = summaryLine(results.length, { error: errors, warning: warnings, information: count('information') });
  if (env.GITHUB_STEP_SUMMARY) {
    try {
      appendFileSync(env.GITHUB_STEP_SUMMARY, summary(results, line, code === 2 ? firstError : ''));
    } catch {
      quiet(say`truss-config: cannot write the job summary to ${env.GITHUB_STEP_SUMMARY}`);
    }
  }
  if (code === 2) {
    out(`::error title=truss-config::${commandData(printable(firstError || 'the checker could not run'))}\n`);
    return 2;
  }
  out(safeLines(`truss-config: ${line}\n`));
  if (failOn === 'error') return errors ? 1 : 0;
  if (failOn === 'warning') return errors + warnings ? 1 : 0;
  return 0;
}

/** A path as GitHub annotates it: relative to the workspace, with `/`. */
function workspacePath(workspace: string, file: string): string {
  const rel = relative(workspace, resolve(file));
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel.split('\\').join('/');
}

/** The job summary: a table of findings per file. */
function summary(results: JsonResult[], line: string, failure: string): string {
  const out = ['## Truss config check', '', failure ? `**Could not check:** ${cell(failure)}` : line, ''];
  const clean: string[] = [];
  let left = MAX_ROWS;
  let omitted = 0;
  for (const r of results) {
    if (!r.diagnostics.length) clean.push(`\`${cell(r.file)}\``);
    else if (left <= 0) omitted += r.diagnostics.length;
    else {
      out.push(`### \`${cell(r.file)}\``, '', '| Line | Severity | Code | Message |', '| ---: | --- | --- | --- |');
      for (const d of r.diagnostics.slice(0, left)) {
        const where = `${d.range.start.line + 1}:${d.range.start.character + 1}`;
        out.push(`| ${where} | ${d.severity} | [\`${d.code}\`](${RULE_DOCS}${d.code}.md) | ${cell(d.message)} |`);
      }
      omitted += Math.max(0, r.diagnostics.length - left);
      left -= r.diagnostics.length;
      out.push('');
    }
  }
  if (omitted) out.push(`${plural(omitted, 'more finding')} not listed here: see the annotations.`, '');
  if (clean.length) out.push(`No problems: ${clean.join(', ')}`, '');
  return out.join('\n') + '\n';
}

/** Text for a Markdown table cell: printable, and no `|` or line break can end it. */
function cell(s: string): string {
  return printable(s.replace(/\r?\n|\r/g, '<br>')).replace(/\|/g, '\\|');
}
