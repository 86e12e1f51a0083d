// @ts-check
// Edit → diagnostics: a full-text didChange per edit, ours and yaml-language-server's, against the floor (an
// empty round trip plus a parse of the same texts). Typing in a value on real and synthetic configs; every
// other kind of edit (edit-kinds.mjs) on the first real config and on the 10,000-line file.
import { performance } from 'node:perf_hooks';
import { GAP_MS } from './context.mjs';
import { ALTERNATING, STEP_LABELS, ROW_STEPS, seriesVersions } from './edit-kinds.mjs';
import { parseFloor, roundTrip } from './floors.mjs';
import { sleep } from './lsp.mjs';
import { fmt } from './report.mjs';
import { OURS, protocolServer, started, waitMs } from './servers.mjs';
import { round, summary } from './stats.mjs';
import * as targets from './targets.mjs';
import { YLS, delayNote } from './yls.mjs';
/** @import { Bench } from './context.mjs' */
/** @import { SeriesSpec } from './edit-kinds.mjs' */
/** @import { LspServer } from './lsp.mjs' */
/** @import { Kind } from './servers.mjs' */
/** @import { Summary } from './stats.mjs' */
/** @import { Subject } from './subjects.mjs' */

/** @typedef {Summary & { samples: number[] }} Timed */
/** @typedef {{ diagnosticsOnOpen: number, steps: Record<string, Timed> }} Measured one series, per step */
/** @typedef {Timed & { diagnosticsOnOpen: number }} Series a series of one step (typing) */
/** @typedef {Record<string, Partial<Record<Kind, Series>>>} EditSeries per subject's label, per server */
/** @typedef {Record<string, Record<string, Partial<Record<Kind, Measured>>>>} KindSeries per label, kind, server */

const SECTION = 'Edit → diagnostics, typing in a value, p50 (p90)';
const KINDS_SECTION = 'Edit → diagnostics, each kind of edit, p50 (p90)';
/** @type {Record<string, string>} */
const SHORT_NAMES = { type: 'typing', enter: 'Enter', key: 'new key' };

/**
 * A series of `kind` on `subject`: typing at its editLine, the other kinds at its blockLine.
 * @param {Bench} bench
 * @param {Subject} subject
 * @param {string} kind
 * @returns {SeriesSpec}
 */
function specOf({ P }, subject, kind) {
  const { text } = subject;
  return kind.startsWith('type')
    ? { kind, text, line: subject.editLine, warmup: P.warmup, count: P.edits }
    : { kind, text, line: subject.blockLine, warmup: 2 * P.kindWarmupPairs, count: 2 * P.kindPairs };
}

/**
 * Opens the subject, sends each series' versions one full-text didChange each, waiting for each one's
 * diagnostics, and closes it; returns each series' latencies per step. A series that alternates ends on
 * the text it started from, so the next one goes on from there: every version still differs from the one
 * before by one edit.
 * @param {Bench} bench
 * @param {LspServer} server
 * @param {Kind} kind
 * @param {Subject} subject
 * @param {SeriesSpec[]} specs
 * @returns {Promise<Measured[]>}
 */
async function runSeries({ P }, server, kind, subject, specs) {
  const timeout = waitMs(kind, subject.text.split('\n').length);
  const { uri } = subject;
  const first = await server.open(uri, subject.text, 1, timeout);
  let version = 1;
  /** @type {Measured[]} */
  const out = [];
  for (const spec of specs) {
    const versions = seriesVersions(spec);
    /** @type {Record<string, number[]>} */
    const samples = {};
    const t0 = performance.now();
    const last = spec.warmup + spec.count;
    for (let i = 1; i <= last; i++) {
      await sleep(GAP_MS);
      const r = await server.change(uri, versions.text(i), ++version, timeout);
      if (i > spec.warmup) (samples[versions.step(i)] ??= []).push(r.ms);
      const fewest = Math.min(...Object.values(samples).map((x) => x.length));
      const over = performance.now() - t0 > P.seriesBudgetMs && i >= spec.warmup + 2 && fewest >= 5;
      if (over && (specs.length === 1 || versions.text(i) === subject.text)) break;
    }
    /** @type {Record<string, Timed>} */
    const steps = {};
    for (const [step, xs] of Object.entries(samples))
      steps[step] = { ...summary(xs), samples: xs.map((x) => round(x, 3)) };
    out.push({ diagnosticsOnOpen: first.diagnostics.length, steps });
  }
  // yaml-language-server publishes empty diagnostics on close: wait for them, so that the next open of
  // this file does not take them for its own.
  const closed = server.versioned ? undefined : server.diagnosticsFor(uri, 0, 5000).catch(() => undefined);
  await server.close(uri);
  await closed;
  await sleep(GAP_MS);
  return out;
}

/**
 * Typing in a value (or after its closing quote: `typeAfterQuote`).
 * @param {Bench} bench
 * @param {LspServer} server
 * @param {Kind} kind
 * @param {Subject} subject
 * @param {string} [typeKind]
 * @returns {Promise<Series>}
 */
async function typingSeries(bench, server, kind, subject, typeKind = 'type') {
  const [m] = await runSeries(bench, server, kind, subject, [specOf(bench, subject, typeKind)]);
  return { ...m.steps.type, diagnosticsOnOpen: m.diagnosticsOnOpen };
}

/**
 * On each server: typing in every subject (yaml-language-server on the sizes P.ylsSizes), every other
 * kind of edit on `kindSubjects`, ours typing after the closing quote of the 10,000-line file, then the
 * empty round trip.
 * @param {Bench} bench
 * @param {Subject[]} subjects
 * @param {Subject[]} kindSubjects
 * @param {Subject} big
 */
async function measureEdits(bench, subjects, kindSubjects, big) {
  /** @type {EditSeries} */
  const edit = {};
  /** @type {KindSeries} */
  const kinds = {};
  /** @type {Partial<Record<Kind, number>>} */
  const roundTrips = {};
  /** @type {Series | undefined} */
  let bigBroken;
  const skipped = (/** @type {Kind} */ kind, /** @type {Subject} */ subject) =>
    kind === YLS && subject.lines && !bench.P.ylsSizes.includes(subject.lines);
  for (const kind of bench.kinds) {
    const server = await started(bench, kind);
    try {
      for (const subject of subjects) {
        if (skipped(kind, subject)) continue;
        edit[subject.label] ??= {};
        edit[subject.label][kind] = await typingSeries(bench, server, kind, subject);
      }
      for (const subject of kindSubjects) {
        if (skipped(kind, subject)) continue;
        const specs = ALTERNATING.map(({ name }) => specOf(bench, subject, name));
        const measured = await runSeries(bench, server, kind, subject, specs);
        ALTERNATING.forEach(({ name }, i) => {
          ((kinds[subject.label] ??= {})[name] ??= {})[kind] = measured[i];
        });
      }
      if (kind === OURS) bigBroken = await typingSeries(bench, server, kind, big, 'typeAfterQuote');
      roundTrips[kind] = await roundTrip(bench, server);
    } finally {
      await server.stop();
    }
  }
  if (!bigBroken || roundTrips[OURS] === undefined) throw new Error('our server was not measured');
  return { edit, kinds, roundTrips, roundTrip: roundTrips[OURS], bigBroken };
}

/**
 * The protocol alone on `subject`: typing and every other kind of edit, as ours ran them; p50 per step.
 * @param {Bench} bench
 * @param {Subject} subject
 * @returns {Promise<Record<string, number>>}
 */
async function protocolSeries(bench, subject) {
  const server = await protocolServer(bench);
  try {
    const specs = [specOf(bench, subject, 'type'), ...ALTERNATING.map(({ name }) => specOf(bench, subject, name))];
    const measured = await runSeries(bench, server, OURS, subject, specs);
    return Object.fromEntries(measured.flatMap((m) => Object.entries(m.steps).map(([step, t]) => [step, t.p50])));
  } finally {
    await server.stop();
  }
}

/**
 * The typing series once more with node's default flags (the same files in the same order, so both
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
      const r = await typingSeries(bench, defaults, OURS, subject);
      if (subject === big) bigDefault = r;
    }
  } finally {
    await defaults.stop();
  }
  if (!bigDefault) throw new Error('the 10,000-line file was not measured');
  return bigDefault;
}

/**
 * The edit rows: typing in real configs and synthetic sizes, our growth, the client's flags, typing after
 * a quote; then each kind of edit on the first real config and on the 10,000-line file.
 * @param {Bench} bench
 * @param {Subject[]} real
 * @param {Subject[]} synthetic
 */
export async function editRows(bench, real, synthetic) {
  const { report, inputs } = bench;
  const t0 = performance.now();
  const all = [...real, ...synthetic];
  const big = synthetic.find((x) => x.lines === 10000);
  if (!big) throw new Error('no 10,000-line config');
  const kindSubjects = [real[0], big].filter(Boolean);
  const { edit, kinds, roundTrips, roundTrip, bigBroken } = await measureEdits(bench, all, kindSubjects, big);
  const bigDefault = await defaultFlagsSeries(bench, all, big);
  const protocol = real[0] && (await protocolSeries(bench, real[0]));
  const floors = await parseFloor(bench, [
    ...all.map((s) => ({ id: s.label, ...specOf(bench, s, 'type') })),
    ...kindSubjects.flatMap((s) =>
      ALTERNATING.map(({ name }) => ({ id: `${s.label} ${name}`, ...specOf(bench, s, name) })),
    ),
  ]);
  const parseOnly = Object.fromEntries(all.map((s) => [s.label, floors[s.label].type]));
  const floorOf = (/** @type {Subject} */ subject) => roundTrip + parseOnly[subject.label];
  report.details.edit = edit;
  report.details.editFloor = { roundTrip: roundTrips, parseOnly, [`${big.label}, node defaults`]: bigDefault };
  /** @type {{ name: string, ours: number, yls: number }[]} */
  const net = [];
  for (const subject of real) {
    const o = ours(edit, subject);
    const y = edit[subject.label][YLS];
    report.row(SECTION, subject.label, o.p50, y?.p50, {
      ...targets.realEdit(inputs.withYls, o.p50, netRatio(bench, o, y), floorOf(subject)),
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
    if (isBig && !y && inputs.withYls) {
      report.note(
        '--quick: yaml-language-server is not run on the 10,000-line file (typing and the other kinds of edit), ' +
          'so the ratios to it are not measured there (SKIP)',
      );
    }
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
  kindRows(bench, kindSubjects, big, kinds, roundTrip, floors);
  if (protocol) protocolRow(bench, real[0], protocol, edit, kinds);
  report.details.editSeconds = round((performance.now() - t0) / 1000, 1);
}

/**
 * A row per kind of edit (ROW_STEPS) on each subject, against its floor; every step in report.details.
 * @param {Bench} bench
 * @param {Subject[]} kindSubjects
 * @param {Subject} big
 * @param {KindSeries} kinds
 * @param {number} roundTrip ours
 * @param {Record<string, Record<string, number>>} floors parse p50 per series id and step
 */
function kindRows(bench, kindSubjects, big, kinds, roundTrip, floors) {
  const { report, inputs } = bench;
  /** @type {Record<string, Record<string, Record<string, number>>>} */
  const parseOnly = {};
  for (const subject of kindSubjects) {
    for (const step of ROW_STEPS) {
      const kind = ALTERNATING.find((k) => k.steps.includes(step));
      if (!kind) throw new Error(`no kind of edit makes ${step}`);
      const series = kinds[subject.label][kind.name];
      const o = series[OURS]?.steps[step];
      if (!o) throw new Error(`${subject.label}, ${step}: not measured`);
      const y = series[YLS]?.steps[step];
      const floor = roundTrip + floors[`${subject.label} ${kind.name}`][step];
      const t =
        subject === big
          ? targets.bigKind(o.p50, y?.p50)
          : targets.realEdit(inputs.withYls, o.p50, netRatio(bench, o, y), floor);
      report.row(KINDS_SECTION, `${subject.label.replace(/^real: /, '')}: ${STEP_LABELS[step]}`, o.p50, y?.p50, {
        ...t,
        floor,
      }).p90 = { ours: round(o.p90), yls: round(y?.p90) };
    }
    parseOnly[subject.label] = Object.fromEntries(
      ALTERNATING.map(({ name }) => [name, floors[`${subject.label} ${name}`]]),
    );
  }
  report.details.editKinds = kinds;
  report.details.editKindsFloor = { roundTrip, parseOnly };
}

/**
 * The protocol alone on the first real config, each step; beside it, what the ≥ 3× target leaves above it
 * for the analysis (yaml-language-server's net ÷ 3 less the protocol) and what ours takes there.
 * @param {Bench} bench
 * @param {Subject} subject
 * @param {Record<string, number>} protocol p50 per step
 * @param {EditSeries} edit
 * @param {KindSeries} kinds
 */
function protocolRow({ report, inputs }, subject, protocol, edit, kinds) {
  const steps = ['type', ...ROW_STEPS];
  /** @param {string} step */
  const series = (step) => {
    if (step === 'type') return { ours: edit[subject.label][OURS], yls: edit[subject.label][YLS] };
    const kind = ALTERNATING.find((k) => k.steps.includes(step));
    const s = kind && kinds[subject.label][kind.name];
    return { ours: s?.[OURS]?.steps[step], yls: s?.[YLS]?.steps[step] };
  };
  /** @type {Record<string, { protocol: number, ours?: number, leftBy3x?: number }>} */
  const each = {};
  for (const step of steps) {
    const { ours: o, yls: y } = series(step);
    const net = y && (inputs.yls.delayMs ? y.p50 - inputs.yls.delayMs : y.p50);
    each[step] = {
      protocol: round(protocol[step]),
      ours: o && round(o.p50 - protocol[step]),
      leftBy3x: net === undefined ? undefined : round(net / 3 - protocol[step]),
    };
  }
  report.details.protocolAlone = each;
  const list = (/** @type {(x: typeof each[string]) => number | undefined} */ f) =>
    steps.map((s) => fmt(f(each[s]), 'ms').replace(' ms', '')).join(' / ');
  const name = subject.label.replace(/^real: /, '');
  const left = inputs.withYls ? `; ≥ 3× yaml-language-server's net leaves ${list((x) => x.leftBy3x)} ms above it` : '';
  report.row(
    KINDS_SECTION,
    `${name}: the protocol alone (a server of the same library publishing fixed diagnostics, nothing parsed), ` +
      `${steps.map((s) => SHORT_NAMES[s] ?? s).join(' / ')} = ${list((x) => x.protocol)} ms; ` +
      `ours above it ${list((x) => x.ours)} ms${left}`,
    protocol.type,
    undefined,
    { info: 'info' },
  );
}

/**
 * yaml-language-server's p50 net of its fixed delay ÷ ours (undefined when it was not measured).
 * @param {Bench} bench
 * @param {Timed} o
 * @param {Timed | undefined} y
 */
function netRatio({ inputs }, o, y) {
  if (!y) return undefined;
  return inputs.yls.delayMs ? (y.p50 - inputs.yls.delayMs) / o.p50 : y.p50 / o.p50;
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
