import { isAbsolute, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding } from '../core/types';
import { CODES } from '../engine/rules';
import type { FileResult } from './check';
import { printable, safeJson, safeLines } from './sanitize';

const README_RULES = 'https://github.com/truss-config/truss-config#rules';

export function toJson(results: FileResult[]): string {
  const out: JsonResult[] = results
    .filter((r) => r.checked)
    .map((r) => ({
      file: r.file,
      diagnostics: r.findings.map((f: Finding) => ({
        range: f.range,
        severity: f.severity,
        code: f.code,
        message: f.message,
      })),
    }));
  return safeJson(JSON.stringify(out, null, 2)) + '\n';
}

/** The text format: one line per finding; the file's name and the message (which may quote a key) printable. */
export function toText(results: FileResult[]): string {
  const lines: string[] = [];
  const count = { error: 0, warning: 0, information: 0, hint: 0 };
  let checked = 0;
  for (const r of results) {
    if (!r.checked) continue;
    checked++;
    for (const f of r.findings) {
      count[f.severity]++;
      lines.push(
        `${printable(r.file)}:${f.range.start.line + 1}:${f.range.start.character + 1}: ` +
          `${f.severity} ${f.code} ${printable(f.message)}`,
      );
    }
  }
  lines.push(summaryLine(checked, count, results.length - checked));
  return safeLines(lines.join('\n')) + '\n';
}

/** The checker's last line (the Action's too): files checked, findings by severity, hints and files skipped if any. */
export function summaryLine(
  checked: number,
  count: { error: number; warning: number; information: number; hint?: number },
  skipped = 0,
): string {
  const counts = [plural(count.error, 'error'), plural(count.warning, 'warning'), `${count.information} information`];
  let summary = `${plural(checked, 'file')} checked: ${counts.join(', ')}`;
  if (count.hint) summary += `, ${plural(count.hint, 'hint')}`;
  if (skipped) summary += ` (${skipped} skipped: not Truss configs)`;
  return summary;
}

/** `1 file`, `2 files`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A workflow command's message, escaped as GitHub's runner reads it. */
export function commandData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value (file=…, title=…): `:` and `,` escaped too. */
export function commandProperty(s: string): string {
  return commandData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** What `--format json` prints for a file. */
export interface JsonResult {
  file: string;
  diagnostics: Array<Pick<Finding, 'range' | 'severity' | 'code' | 'message'>>;
}

/**
 * GitHub Actions workflow commands: one annotation per finding. The file's name and the message are
 * made printable (no control character, no `##[`), then escaped as the runner reads a command.
 */
export function toGithub(
  results: ReadonlyArray<Pick<FileResult, 'file' | 'checked'> & { findings: JsonResult['diagnostics'] }>,
): string {
  const level = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' } as const;
  const lines: string[] = [];
  for (const r of results) {
    if (!r.checked) continue;
    for (const f of r.findings) {
      if (f.severity === 'hint') continue; // a hint is not worth an annotation
      const { start, end } = f.range;
      const where =
        `file=${commandProperty(printable(r.file))},line=${start.line + 1},col=${start.character + 1},` +
        `endLine=${end.line + 1},endColumn=${end.character + 1}`;
      const title = commandProperty(`truss-config ${f.code}`);
      lines.push(`::${level[f.severity]} ${where},title=${title}::${commandData(printable(f.message))}`);
    }
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

/** SARIF 2.1.0, for code-scanning uploads: 1-based lines and columns (UTF-16 code units). */
export function toSarif(results: FileResult[], version: string): string {
  const rules = [...CODES.values()].map((c) => ({
    id: c.code,
    shortDescription: { text: c.summary.replace(/`/g, '') },
    fullDescription: { text: `${c.summary.replace(/`/g, '')} Source: ${c.source.replace(/`/g, '')}.` },
    helpUri: c.href ?? README_RULES,
    defaultConfiguration: { level: sarifLevel(c.severity) },
  }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const out = results
    .filter((r) => r.checked)
    .flatMap((r) =>
      r.findings.map((f) => ({
        ruleId: f.code,
        ruleIndex: index.get(f.code) ?? -1,
        level: sarifLevel(f.severity),
        message: { text: f.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: artifact(r.file),
              region: {
                startLine: f.range.start.line + 1,
                startColumn: f.range.start.character + 1,
                endLine: f.range.end.line + 1,
                endColumn: f.range.end.character + 1,
              },
            },
          },
        ],
      })),
    );
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'truss-config',
            version,
            informationUri: 'https://github.com/truss-config/truss-config',
            rules,
          },
        },
        columnKind: 'utf16CodeUnits',
        results: out,
      },
    ],
  };
  return safeJson(JSON.stringify(log, null, 2)) + '\n';
}

/** A file as SARIF names it: relative to %SRCROOT% (the working folder), each segment percent-encoded. */
function artifact(file: string): { uri: string; uriBaseId?: string } {
  const rel = relative(process.cwd(), file).split('\\').join('/');
  if (rel.startsWith('../') || isAbsolute(rel)) return { uri: pathToFileURL(resolve(file)).href };
  return { uri: rel.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

function sarifLevel(severity: Finding['severity']): 'error' | 'warning' | 'note' {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}
