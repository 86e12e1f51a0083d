// @ts-check
// Completion and hover: latency at a few positions of a real config, ours and yaml-language-server's,
// against the round trip of a hover where there is nothing to show.
import { sleep } from './lsp.mjs';
import { OURS, started, waitMs } from './servers.mjs';
import { median, round, summary } from './stats.mjs';
import * as targets from './targets.mjs';
import { YLS } from './yls.mjs';
/** @import { CompletionItem, CompletionList, Hover } from 'vscode-languageserver-protocol' */
/** @import { Bench } from './context.mjs' */
/** @import { LspServer } from './lsp.mjs' */
/** @import { Kind } from './servers.mjs' */
/** @import { Summary } from './stats.mjs' */
/** @import { Subject } from './subjects.mjs' */

/** @typedef {{ name: string, line: number, character: number }} Position */
/** @typedef {{ completion: Position[], hover: Position[], floor: Position[] }} Positions */
/** @typedef {{ name: string, at: string, results: number, p50: number | undefined }} PositionResult */
/** @typedef {Summary & { positions: PositionResult[] }} FeatureSeries */

/**
 * Positions for completion and hover, found in the text (those that are missing are left out).
 * @param {string} text
 * @returns {Positions}
 */
export function featurePositions(text) {
  const lines = text.split('\n');
  const find = (/** @type {RegExp} */ re) => lines.findIndex((l) => re.test(l));
  /** @type {Positions} */
  const out = { completion: [], hover: [], floor: [] };
  const auth = find(/^\s+auth_method:\s*\S/);
  if (auth >= 0) {
    out.completion.push({ name: 'auth_method value', line: auth, character: lines[auth].trimEnd().length });
    out.hover.push({ name: 'auth_method value', line: auth, character: lines[auth].indexOf(':') + 3 });
  }
  const reg = find(/^\s+registry:/);
  if (reg >= 0)
    out.completion.push({
      name: 'docker_auth key',
      line: reg,
      character: lines[reg].length - lines[reg].trimStart().length,
    });
  const top = find(/^secrets:/) >= 0 ? find(/^secrets:/) : find(/^resources:/);
  if (top >= 0) out.completion.push({ name: 'top-level key', line: top, character: 0 });
  const bi = find(/^base_image:/);
  if (bi >= 0) out.hover.push({ name: 'base_image key', line: bi, character: 3 });
  const sec = find(/^secrets:/);
  if (sec >= 0 && /^\s+\S/.test(lines[sec + 1] ?? '')) {
    out.hover.push({
      name: 'secret name',
      line: sec + 1,
      character: lines[sec + 1].length - lines[sec + 1].trimStart().length + 2,
    });
  }
  const res = find(/^resources:/);
  if (res >= 0) out.hover.push({ name: 'resources key', line: res, character: 3 });
  // Past the end of the first line: nothing to show, so the time is the JSON-RPC round trip.
  out.floor = [{ name: 'nothing to show', line: 0, character: lines[0].length + 20 }];
  return out;
}

/**
 * The number of completion items, or 1 for a hover with contents.
 * @param {string} method
 * @param {unknown} result a completion or hover answer
 */
export function resultSize(method, result) {
  if (!result) return 0;
  if (method === 'textDocument/completion') {
    const r = /** @type {CompletionItem[] | CompletionList} */ (result);
    return Array.isArray(r) ? r.length : (r.items ?? []).length;
  }
  return /** @type {Hover} */ (result).contents ? 1 : 0;
}

/**
 * Completion or hover latency, positions interleaved, on a document opened and validated once;
 * each request is sent as soon as the previous answer arrived (no idle time to wake up from).
 * @param {Bench} bench
 * @param {LspServer} server
 * @param {Kind} kind
 * @param {Subject} subject
 * @param {string} method
 * @param {Position[]} positions
 * @returns {Promise<FeatureSeries | undefined>}
 */
async function featureSeries({ P }, server, kind, subject, method, positions) {
  if (!positions.length) return undefined;
  await server.open(subject.uri, subject.text, 1, waitMs(kind, 100));
  const per = positions.map((p) => ({ ...p, samples: /** @type {number[]} */ ([]), size: 0 }));
  const all = [];
  const WARMUP = 10;
  for (let rep = 0; rep < WARMUP + P.reps; rep++) {
    for (const p of per) {
      const r = await server.request(
        method,
        { textDocument: { uri: subject.uri }, position: { line: p.line, character: p.character } },
        10000,
      );
      p.size = resultSize(method, r.result);
      if (rep >= WARMUP) {
        p.samples.push(r.ms);
        all.push(r.ms);
      }
    }
  }
  await server.close(subject.uri);
  await sleep(100);
  return {
    ...summary(all),
    positions: per.map((p) => ({
      name: p.name,
      at: `${p.line + 1}:${p.character + 1}`,
      results: p.size,
      p50: round(median(p.samples), 3),
    })),
  };
}

/**
 * Completion, hover and the round trip on each server, one server at a time.
 * @param {Bench} bench
 * @param {Subject} subject
 * @param {Positions} positions
 */
async function measureFeatures(bench, subject, positions) {
  /** @type {Record<'completion' | 'hover' | 'floor', Partial<Record<Kind, FeatureSeries>>>} */
  const feat = { completion: {}, hover: {}, floor: {} };
  for (const kind of bench.kinds) {
    const server = await started(bench, kind);
    try {
      const series = (/** @type {string} */ method, /** @type {Position[]} */ at) =>
        featureSeries(bench, server, kind, subject, method, at);
      feat.completion[kind] = await series('textDocument/completion', positions.completion);
      feat.hover[kind] = await series('textDocument/hover', positions.hover);
      feat.floor[kind] = await series('textDocument/hover', positions.floor);
    } finally {
      await server.stop();
    }
  }
  return feat;
}

/**
 * The completion and hover rows; returns the positions found, for the workspace rows.
 * @param {Bench} bench
 * @param {Subject} subject
 */
export async function featureRows(bench, subject) {
  const { P, report, inputs } = bench;
  const section = 'Completion and hover, p50 (p90)';
  const positions = featurePositions(subject.text);
  const feat = await measureFeatures(bench, subject, positions);
  report.details.features = feat;
  const floor = feat.floor[OURS];
  for (const what of /** @type {const} */ (['completion', 'hover'])) {
    const o = feat[what][OURS];
    const y = feat[what][YLS];
    if (!o) {
      report.note(`${what}: no position found in ${subject.label}`);
      continue;
    }
    const ratio = y ? y.p50 / o.p50 : undefined;
    report.row(section, `${what} (${o.positions.length} positions × ${P.reps})`, o.p50, y?.p50, {
      ...targets.feature(inputs.withYls, o.p50, ratio),
      floor: floor?.p50,
    }).p90 = { ours: round(o.p90), yls: round(y?.p90) };
  }
  report.row(section, 'round trip: hover where there is nothing to show', floor?.p50, feat.floor[YLS]?.p50, {
    info: 'info',
  }).p90 = { ours: round(floor?.p90), yls: round(feat.floor[YLS]?.p90) };
  return positions;
}
