// @ts-check
// Edit → diagnostics: one character typed per full-text didChange, on real and synthetic configs, ours and
// yaml-language-server's, against the floor (an empty round trip plus a parse of the same texts).
import { performance } from 'node:perf_hooks';
import { GAP_MS } from './context.mjs';
import { parseFloor, roundTrip } from './floors.mjs';
import { sleep } from './lsp.mjs';
import { fmt } from './report.mjs';
import { OURS, started, waitMs } from './servers.mjs';
import { round, summary } from './stats.mjs';
import { editedText } from './synth.mjs';
import * as targets from './targets.mjs';
import { YLS, delayNote } from './yls.mjs';
/** @import { Bench } from './context.mjs' */
/** @import { LspServer } from './lsp.mjs' */
/** @import { Kind } from './servers.mjs' */
/** @import { Summary } from './stats.mjs' */
/** @import { Subject } from './subjects.mjs' */

/** @typedef {Summary & { samples: number[], diagnosticsOnOpen: number }} Series */
/** @typedef {Record<string, Partial<Record<Kind, Series>>>} EditSeries per subject's label, per server */

const SECTION = 'Edit → diagnostics, p50 (p90)';

/**
 * Full-text didChange per keystroke, typed at the end of one line's value (`afterQuote`: after its
 * closing quote, which breaks the YAML); returns the latencies.
 * @param {Bench} bench
 * @param {LspServer} server
 * @param {Kind} kind
 * @param {Subject} subject
 * @param {{ afterQuote?: boolean }} [options]
 * @returns {Promise<Series>}
 */
async function editSeries({ P }, server, kind, subject, { afterQuote = false } = {}) {
  const timeout = waitMs(kind, subject.text.split('\n').length);
  const uri = subject.uri;
  const first = await server.open(uri, subject.text, 1, timeout);
  const samples = [];
  const t0 = performance.now();
  let version = 1;
  for (let i = 1; i <= P.warmup + P.edits; i++) {
    await sleep(GAP_MS);
    const text = editedText(subject.text, subject.editLine, i, { afterQuote });
    const r = await server.change(uri, text, ++version, timeout);
    if (i > P.warmup) samples.push(r.ms);
    if (performance.now() - t0 > P.seriesBudgetMs && samples.length >= 5) break;
  }
  await server.close(uri);
  await sleep(GAP_MS);
  return { ...summary(samples), samples: samples.map((x) => round(x, 3)), diagnosticsOnOpen: first.diagnostics.length };
}

/**
 * Every subject on each server (yaml-language-server on the sizes P.ylsSizes), then ours typing after the
 * closing quote of the 10,000-line file, then each server's empty round trip.
 * @param {Bench} bench
 * @param {Subject[]} subjects
 * @param {Subject} big
 */
async function measureEdits(bench, subjects, big) {
  /** @type {EditSeries} */
  const edit = {};
  /** @type {Partial<Record<Kind, number>>} */
  const roundTrips = {};
  /** @type {Series | undefined} */
  let bigBroken;
  for (const kind of bench.kinds) {
    const server = await started(bench, kind);
    try {
      for (const subject of subjects) {
        if (kind === YLS && subject.lines && !bench.P.ylsSizes.includes(subject.lines)) continue;
        edit[subject.label] ??= {};
        edit[subject.label][kind] = await editSeries(bench, server, kind, subject);
      }
      if (kind === OURS) bigBroken = await editSeries(bench, server, kind, big, { afterQuote: true });
      roundTrips[kind] = await roundTrip(bench, server);
    } finally {
      await server.stop();
    }
  }
  if (!bigBroken || roundTrips[OURS] === undefined) throw new Error('our server was not measured');
  return { edit, roundTrips, roundTrip: roundTrips[OURS], bigBroken };
}

/**
 * The same series once more with node's default flags (the same files in the same order, so both
 * servers have done the same work before the 10,000-line file): what the client's flags cost there.
 * @param {Bench} bench
 * @param {Subject[]} subjects
 * @param {Subject} big
 */
async function defaultFlagsSeries(bench, subjects, big) {
  const defaults = await started(bench, OURS, { nodeFlags: [] });
  /** @type {Series | undefined} */
  let bigDefault;
  try {
    for (const subject of subjects) {
      const r = await editSeries(bench, defaults, OURS, subject);
      if (subject === big) bigDefault = r;
    }
  } finally {
    await defaults.stop();
  }
  if (!bigDefault) throw new Error('the 10,000-line file was not measured');
  return bigDefault;
}

/**
 * The edit rows: real configs, synthetic sizes, our growth, the client's flags, typing after a quote.
 * @param {Bench} bench
 * @param {Subject[]} real
 * @param {Subject[]} synthetic
 */
export async function editRows(bench, real, synthetic) {
  const { report, inputs } = bench;
  const all = [...real, ...synthetic];
  const big = synthetic.find((x) => x.lines === 10000);
  if (!big) throw new Error('no 10,000-line config');
  const { edit, roundTrips, roundTrip, bigBroken } = await measureEdits(bench, all, big);
  const bigDefault = await defaultFlagsSeries(bench, all, big);
  const parseOnly = await parseFloor(bench, all);
  const floorOf = (/** @type {Subject} */ subject) => roundTrip + parseOnly[subject.label];
  report.details.edit = edit;
  report.details.editFloor = { roundTrip: roundTrips, parseOnly, [`${big.label}, node defaults`]: bigDefault };
  /** @type {{ name: string, ours: number, yls: number }[]} */
  const net = [];
  for (const subject of real) {
    const o = ours(edit, subject);
    const y = edit[subject.label][YLS];
    const netRatio = y && inputs.yls.delayMs ? (y.p50 - inputs.yls.delayMs) / o.p50 : y ? y.p50 / o.p50 : undefined;
    report.row(SECTION, subject.label, o.p50, y?.p50, {
      ...targets.realEdit(inputs.withYls, o.p50, netRatio),
      floor: floorOf(subject),
    }).p90 = { ours: round(o.p90), yls: round(y?.p90) };
    if (y) net.push({ name: subject.label.replace(/ \(.*/, ''), ours: o.p50, yls: y.p50 });
  }
  for (const subject of synthetic) {
    const o = ours(edit, subject);
    const y = edit[subject.label][YLS];
    const isBig = subject === big;
    report.row(SECTION, subject.label, o.p50, y?.p50, {
      ...(isBig ? targets.bigEdit(inputs.withYls, o.p50, y?.p50) : {}),
      floor: floorOf(subject),
    }).p90 = { ours: round(o.p90), yls: round(y?.p90) };
    if (isBig && !y && inputs.withYls) report.note('--quick: yaml-language-server is not run on the 10,000-line file');
    if (y) net.push({ name: subject.label.replace('synthetic ', ''), ours: o.p50, yls: y.p50 });
  }
  sizeRows(
    bench,
    synthetic.map((s) => ours(edit, s).p50),
    bigDefault,
    bigBroken,
  );
  report.details.editBroken = bigBroken;
  const note = delayNote(inputs.yls.delayMs, net);
  if (note) report.note(note);
}

/**
 * Our series of a subject (always measured).
 * @param {EditSeries} edit
 * @param {Subject} subject
 * @returns {Series}
 */
function ours(edit, subject) {
  const o = edit[subject.label][OURS];
  if (!o) throw new Error(`${subject.label}: not measured`);
  return o;
}

/**
 * Our growth from 100 to 10,000 lines, the client's flags against node's on 10,000, and typing after
 * the closing quote there.
 * @param {Bench} bench
 * @param {number[]} p50s ours on 100, 1,000 and 10,000 lines
 * @param {Series} bigDefault
 * @param {Series} bigBroken
 */
function sizeRows({ report }, p50s, bigDefault, bigBroken) {
  const [p100, p1k, p10k] = p50s;
  const times = p10k / p1k;
  const points = [p100, p1k, p10k].map((x) => fmt(x, 'ms').replace(' ms', '')).join(' / ');
  report.row(SECTION, `our growth: 100 / 1,000 / 10,000 lines = ${points} ms; 1,000 → 10,000`, times, undefined, {
    unit: '×',
    ...targets.growth(times),
  }).points = { 100: round(p100), 1000: round(p1k), 10000: round(p10k) };
  report.row(
    SECTION,
    `10,000 lines with node's default flags: ${fmt(bigDefault.p50, 'ms')}; the client's flags cost`,
    (p10k / bigDefault.p50 - 1) * 100,
    undefined,
    { unit: '%', ...targets.flagsCost(p10k, bigDefault.p50) },
  );
  report.row(
    SECTION,
    '10,000 lines, typed after the closing quote: broken YAML at every version, so each is parsed anew',
    bigBroken.p50,
    undefined,
    { info: 'info' },
  ).p90 = { ours: round(bigBroken.p90) };
}
