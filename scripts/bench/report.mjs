// @ts-check
// The benchmark's rows and notes, and the report: a table (or JSON with --json).
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { GAP_MS } from './context.mjs';
import { OURS } from './servers.mjs';
import { round } from './stats.mjs';
import { YLS } from './yls.mjs';
/** @import { Inputs, Params } from './context.mjs' */

/** @typedef {{ ours?: number, yls?: number }} Spread a p90 or p95, shown in brackets after the p50 */

/**
 * @typedef {object} Row
 * @property {string} section
 * @property {string} label
 * @property {string} unit
 * @property {number | undefined} ours
 * @property {number | undefined} yls
 * @property {number} [floor] what the row is measured against, in the same unit
 * @property {number} [ratio] yaml-language-server ÷ ours
 * @property {string} [target]
 * @property {string} status PASS, MISS, SKIP or the row's `info`
 * @property {Spread} [p90]
 * @property {Spread} [p95]
 * @property {Record<string, number>} [points]
 */

/**
 * @typedef {object} RowOptions
 * @property {string} [unit] `ms` by default
 * @property {string} [target]
 * @property {boolean} [pass] whether the target is met; undefined: not measured (SKIP)
 * @property {number} [ratio] instead of yls ÷ ours
 * @property {string} [info] the status of a row without a target
 * @property {number} [floor]
 */

export class Report {
  /** @type {Row[]} */
  rows = [];
  /** @type {string[]} */
  notes = [];
  /** Everything measured, for --json. @type {Record<string, unknown>} */
  details = {};
  startedAt = performance.now();
  loadAtStart = loadavg().map((x) => round(x, 2));

  constructor() {
    if (this.loadAtStart[0] > cpus().length / 2) {
      this.note(
        `the machine was busy when the run started (load average ${this.loadAtStart[0]} on ${cpus().length} cores): ` +
          `latencies are inflated, ratios less so`,
      );
    }
  }

  /** @param {string} text */
  note(text) {
    this.notes.push(text);
  }

  /**
   * One row of the table.
   * @param {string} section
   * @param {string} label
   * @param {number | undefined} ours
   * @param {number | undefined} yls
   * @param {RowOptions} [options]
   * @returns {Row}
   */
  row(section, label, ours, yls, { unit = 'ms', target, pass, ratio, info, floor } = {}) {
    const digits = unit === 'ms' ? 2 : 1;
    const ownRatio =
      ratio !== undefined
        ? round(ratio, 1)
        : typeof ours === 'number' && typeof yls === 'number' && ours > 0
          ? round(yls / ours, 1)
          : undefined;
    /** @type {Row} */
    const r = {
      section,
      label,
      unit,
      ours: round(ours, digits),
      yls: round(yls, digits),
      ...(floor !== undefined ? { floor: round(floor, digits) } : {}),
      ...(ownRatio !== undefined ? { ratio: ownRatio } : {}),
      ...(target ? { target } : {}),
      status: target ? (pass === undefined ? 'SKIP' : pass ? 'PASS' : 'MISS') : (info ?? ''),
    };
    this.rows.push(r);
    return r;
  }
}

/**
 * @param {number | undefined} v
 * @param {string} unit
 */
export function fmt(v, unit) {
  if (v === undefined || v === null || Number.isNaN(v)) return '—';
  if (unit === 'ms')
    return v < 10
      ? `${v.toFixed(2)} ms`
      : v < 100
        ? `${v.toFixed(1)} ms`
        : `${Math.round(v).toLocaleString('en-US')} ms`;
  if (unit === '×') return `${v.toFixed(1)}×`;
  if (unit === 'files/s') return `${Math.round(v).toLocaleString('en-US')}/s`;
  return `${v.toLocaleString('en-US')} ${unit}`.trim();
}

/**
 * How the run was made: the header of the table, `meta` in JSON.
 * @param {Report} report
 * @param {{ quick: boolean, P: Params, inputs: Inputs }} run
 */
function meta(report, { quick, P, inputs }) {
  const { shared, yls, withYls, schemaPath, serverFlags } = inputs;
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu: `${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
    quick,
    shared: existsSync(shared) ? shared : `${shared} (absent)`,
    ours: `node ${serverFlags.join(' ')} server.js --stdio (scripts/build.mjs --production)`,
    yamlLanguageServer: withYls ? `${yls.version}, schema ${schemaPath}` : 'not measured',
    edits:
      `${P.edits} measured edits after ${P.warmup} warm-up edits, typed at the end of one value; every other ` +
      `kind, ${P.kindPairs} pairs of edits after ${P.kindWarmupPairs}, each edit and its inverse alternated; ` +
      `full-text didChange, ${GAP_MS} ms apart`,
    seconds: round((performance.now() - report.startedAt) / 1000, 1),
    loadAverage: { start: report.loadAtStart, end: loadavg().map((x) => round(x, 2)) },
  };
}

/**
 * Prints the report: JSON with `json`, else the table, the notes and the count of targets met.
 * @param {Report} report
 * @param {{ quick: boolean, json: boolean, P: Params, inputs: Inputs }} run
 */
export function printReport(report, run) {
  const m = meta(report, run);
  if (run.json) {
    console.log(JSON.stringify({ meta: m, rows: report.rows, notes: report.notes, details: report.details }, null, 2));
    return;
  }
  console.log(`truss-config benchmark — ${m.date}, Node ${m.node}, ${m.cpu}${run.quick ? ', --quick' : ''}`);
  console.log(`truss-config: ${m.ours}`);
  console.log(`yaml-language-server: ${m.yamlLanguageServer}`);
  console.log(
    `edits: ${m.edits}; ratio = yaml-language-server ÷ ours; load average ${m.loadAverage.start.join(' ')} → ` +
      `${m.loadAverage.end.join(' ')}`,
  );
  console.log(
    'floor: edits: an empty round trip + a parse of the same texts, each from the one before (nothing else); ' +
      "completion and hover: an empty round trip; start and checker: node's bare start-up; memory: the idle server",
  );
  console.log('');
  printTable(report.rows, run.inputs.withYls ? `${YLS} ${run.inputs.yls.version}` : undefined);
  console.log('');
  for (const n of report.notes) console.log(`note: ${n}`);
  const count = (/** @type {string} */ status) => report.rows.filter((r) => r.status === status).length;
  console.log(`${count('PASS')} targets met, ${count('MISS')} missed, ${count('SKIP')} skipped; ${m.seconds} s`);
}

/**
 * The table: one line per row under its section's line; yaml-language-server's columns when it ran.
 * @param {Row[]} rows
 * @param {string | undefined} ylsHead the head of yaml-language-server's column, when it ran
 */
function printTable(rows, ylsHead) {
  const showYls = ylsHead !== undefined;
  const head = ['', OURS, 'floor', ...(showYls ? [ylsHead, 'ratio'] : []), 'target', ''];
  /** @type {(string[] | { section: string })[]} */
  const body = [];
  let section;
  for (const r of rows) {
    if (r.section !== section) {
      section = r.section;
      body.push({ section });
    }
    body.push(cells(r, showYls));
  }
  const lines = body.filter(Array.isArray);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((b) => b[i].length)));
  const line = (/** @type {string[]} */ cs) =>
    cs.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(Array.isArray(b) ? line(b) : b.section);
}

/**
 * @param {Row} r
 * @param {boolean} showYls
 * @returns {string[]}
 */
function cells(r, showYls) {
  const spread = r.p95 ?? r.p90;
  const after = (/** @type {'ours' | 'yls'} */ k) =>
    spread && spread[k] !== undefined ? ` (${fmt(spread[k], 'ms')})` : '';
  const ours = r.ours === undefined ? '' : fmt(r.ours, r.unit) + after('ours');
  const yls =
    r.yls === undefined ? (r.ours === undefined || r.unit === '×' ? '' : '—') : fmt(r.yls, r.unit) + after('yls');
  const ratio = r.ratio !== undefined && r.yls !== undefined ? `${r.ratio}×` : '';
  const floor = r.floor === undefined ? '' : fmt(r.floor, r.unit);
  return [`  ${r.label}`, ours, floor, ...(showYls ? [yls, ratio] : []), r.target ?? '', r.status];
}
