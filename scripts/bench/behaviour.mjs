// @ts-check
// Behaviour of our server: a burst of changes is published in version order, and a cancelled request is
// answered as cancelled.
import { resultSize, featurePositions } from './features.mjs';
import { sleep } from './lsp.mjs';
import { OURS, started } from './servers.mjs';
import { editedText } from './synth.mjs';
import * as targets from './targets.mjs';
/** @import { Bench } from './context.mjs' */
/** @import { LspServer } from './lsp.mjs' */
/** @import { Subject } from './subjects.mjs' */

const COMPLETION = 'textDocument/completion';

/**
 * A burst of 20 changes sent back to back: results come in version order, the last one is the final version.
 * @param {LspServer} server
 * @param {Subject} subject
 */
async function burst(server, { uri, text, editLine }) {
  await server.open(uri, text, 1, 10000);
  const from = server.published.length;
  let v = 1;
  for (let i = 1; i <= 20; i++) server.changeNoWait(uri, editedText(text, editLine, i), ++v);
  await server.diagnosticsFor(uri, v, 10000);
  await sleep(300);
  const versions = server.published
    .slice(from)
    .filter((p) => p.uri === uri)
    .map((p) => p.version);
  const ordered = versions.every((x, i) => i === 0 || (x ?? 0) > (versions[i - 1] ?? 0));
  return { sent: 20, published: versions, ordered, lastIsFinal: versions[versions.length - 1] === v };
}

/**
 * Cancellation: (a) cancelled as soon as sent; (b) cancelled while the server waits for the client's settings.
 * @param {LspServer} server
 * @param {Subject} subject
 */
async function cancellation(server, { uri, text }) {
  const position = featurePositions(text).completion[0] ?? { line: 0, character: 0 };
  const params = { textDocument: { uri }, position: { line: position.line, character: position.character } };
  const control = await server.request(COMPLETION, params, 5000);
  const a = await server.cancelledRequest(COMPLETION, params, 5000);
  server.configurationDelayMs = 100;
  await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  const b = await server.cancelledRequest(COMPLETION, params, 5000, 20);
  server.configurationDelayMs = 0;
  /** @param {{ result?: unknown, error?: { code: number | undefined } }} r */
  const honoured = (r) => (r.error ? r.error.code === -32800 : resultSize(COMPLETION, r.result) === 0);
  /** @param {{ result?: unknown, error?: { code: number | undefined } }} r */
  const describe = (r) =>
    r.error
      ? r.error.code === -32800
        ? 'cancelled'
        : `error ${r.error.code}`
      : `${resultSize(COMPLETION, r.result)} items`;
  const controlItems = resultSize(COMPLETION, control.result);
  await server.close(uri);
  return {
    controlItems,
    // Racy by nature: the server may answer before it reads the cancellation.
    immediately: describe(a),
    inFlight: describe(b),
    honoured: honoured(b) && controlItems > 0,
  };
}

/**
 * @param {Bench} bench
 * @param {Subject} subject
 */
export async function behaviourRows(bench, subject) {
  const server = await started(bench, OURS);
  /** @type {{ burst: Awaited<ReturnType<typeof burst>>, cancellation: Awaited<ReturnType<typeof cancellation>> }} */
  let checks;
  try {
    checks = { burst: await burst(server, subject), cancellation: await cancellation(server, subject) };
  } finally {
    await server.stop();
  }
  const { report } = bench;
  report.details.checks = checks;
  const section = 'Behaviour (our server)';
  const b = checks.burst;
  const c = checks.cancellation;
  report.row(
    section,
    `20 changes sent at once: ${b.published.length} published (v${b.published.join(', v')})`,
    undefined,
    undefined,
    { unit: '', ...targets.burst(b.ordered && b.lastIsFinal && b.published.length <= 3) },
  );
  report.row(
    section,
    `completion cancelled in flight → ${c.inFlight} (not cancelled: ${c.controlItems})`,
    undefined,
    undefined,
    { unit: '', ...targets.cancellation(c.honoured) },
  );
}
