// @ts-check
// Fuzz test: drives the real server (dist/server.js) over LSP with half-typed and mangled configs and
// random requests, for a bounded time. Passes when the server never crashes, answers every request,
// logs no error, and its memory stays flat. Usage: node scripts/fuzz.mjs [--seconds N] [--seed N]
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import rpc from 'vscode-languageserver-protocol/node';
/** @import { Diagnostic, LogMessageParams, PublishDiagnosticsParams } from 'vscode-languageserver-protocol' */

const root = resolve(import.meta.dirname, '..');
/**
 * @param {string} name
 * @param {number} fallback
 */
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg('--seconds', Number(process.env.FUZZ_SECONDS ?? 100));
let seed = arg('--seed', 20261126);
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
/**
 * @template T
 * @param {T[]} list
 */
const pick = (list) => list[Math.floor(random() * list.length)];

/** Our test configs, the examples and the corpus; `ours`: how many are ours (they come first). */
function documents() {
  /** @type {{ name: string, text: string }[]} */
  const found = [];
  /**
   * @param {string} dir
   * @param {(name: string) => boolean} keep
   */
  const walk = (dir, keep) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p, keep);
      else if (keep(e.name)) found.push({ name: p.slice(root.length + 1), text: readFileSync(p, 'utf8') });
    }
  };
  walk(join(root, 'test', 'rules'), (n) => n.endsWith('.yaml') && !n.endsWith('.out.yaml'));
  walk(join(root, 'test', 'mutation'), (n) => n.endsWith('.yaml'));
  walk(join(root, 'examples'), (n) => n === 'config.yaml');
  const ours = found.length;
  walk(resolve(root, '..', 'shared', 'corpus'), (n) => n.endsWith('.yaml') || n.endsWith('.yml'));
  return { docs: found, ours };
}

const server = spawn(process.execPath, [join(root, 'dist', 'server.js'), '--stdio'], {
  stdio: ['pipe', 'pipe', 'pipe'],
});
let exited = /** @type {{ code: number | null, signal: NodeJS.Signals | null } | null} */ (null);
server.on('exit', (code, signal) => (exited = { code, signal }));
let stderr = '';
server.stderr.on('data', (d) => (stderr += d));
const conn = rpc.createProtocolConnection(
  new rpc.StreamMessageReader(server.stdout),
  new rpc.StreamMessageWriter(server.stdin),
);
/** @type {string[]} */
const logs = [];
/** @type {Map<string, { version: number, resolve: (diagnostics: Diagnostic[]) => void }>} */
const waiters = new Map();
conn.onNotification('window/logMessage', (/** @type {LogMessageParams} */ p) => {
  logs.push(p.message);
});
conn.onNotification('textDocument/publishDiagnostics', (/** @type {PublishDiagnosticsParams} */ p) => {
  const w = waiters.get(p.uri);
  if (w && p.version === w.version) {
    waiters.delete(p.uri);
    w.resolve(p.diagnostics);
  }
});
conn.onRequest('workspace/configuration', (p) => p.items.map(() => ({ detect: 'always' })));
conn.onRequest('client/registerCapability', () => null);
conn.listen();

const counts = { documents: 0, changes: 0, requests: 0, answered: 0, failed: 0, diagnostics: 0 };
/** @type {string[]} */
const problems = [];
/**
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {string} what
 * @returns {Promise<T>}
 */
const withTimeout = (promise, ms, what) =>
  Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms: ${what}`)), ms)),
  ]);

/** @param {unknown} e */
const firstLine = (e) => (e instanceof Error ? e.message : String(e)).split('\n')[0];

/**
 * A completion, hover or code action at a random place.
 * @param {string} uri
 * @param {string} text
 */
async function request(uri, text) {
  const lines = text.split('\n');
  const line = Math.floor(random() * (lines.length + 1));
  const character = Math.floor(random() * ((lines[line] ?? '').length + 2));
  const position = { line, character };
  const kind = pick(['completion', 'hover', 'codeAction']);
  const params =
    kind === 'codeAction'
      ? { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: [] } }
      : { textDocument: { uri }, position };
  counts.requests++;
  try {
    await withTimeout(conn.sendRequest(`textDocument/${kind}`, params), 5000, `${kind} at ${line}:${character}`);
    counts.answered++;
  } catch (e) {
    counts.failed++;
    problems.push(firstLine(e));
  }
}

/**
 * Waits for the diagnostics of a version; call it before that version is sent.
 * @param {string} uri
 * @param {number} version
 */
async function settle(uri, version) {
  /** @type {Promise<Diagnostic[]>} */
  const p = new Promise((resolve) => waiters.set(uri, { version, resolve }));
  await null;
  return async () => {
    try {
      await withTimeout(p, 5000, `diagnostics for ${uri} v${version}`);
      counts.diagnostics++;
    } catch (e) {
      counts.failed++;
      problems.push(firstLine(e));
    }
  };
}

let n = 0;
/**
 * Opens a document with the first step's text, sends the others as changes, then a few requests.
 * @param {string} text
 * @param {string[]} steps
 */
async function session(text, steps) {
  const uri = `file:///fuzz/${++n}/config.yaml`;
  counts.documents++;
  let version = 1;
  const settled = await settle(uri, steps.length || 1);
  conn.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'yaml', version, text: steps[0] ?? '' },
  });
  for (const step of steps.slice(1)) {
    version++;
    counts.changes++;
    conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ text: step }],
    });
    if (random() < 0.15) await request(uri, step);
  }
  await settled();
  for (let i = 0; i < 3; i++) await request(uri, steps[steps.length - 1] ?? text);
  conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
}

/** @param {string} text */
function prefixesByLine(text) {
  const lines = text.split('\n');
  return lines.map((_, i) => lines.slice(0, i + 1).join('\n'));
}
/** @param {string} text */
function prefixesByChar(text) {
  return Array.from({ length: text.length + 1 }, (_, i) => text.slice(0, i));
}
/** @param {string} text */
function mutate(text) {
  const lines = text.split('\n');
  const i = Math.floor(random() * lines.length);
  switch (Math.floor(random() * 8)) {
    case 0:
      lines.splice(i, 1);
      break;
    case 1:
      lines.splice(i, 0, lines[i] ?? '');
      break;
    case 2:
      lines[i] = '  ' + (lines[i] ?? '');
      break;
    case 3:
      lines[i] = (lines[i] ?? '').replace(/^ {1,2}/, '');
      break;
    case 4:
      lines[i] = '\t' + (lines[i] ?? '');
      break;
    case 5:
      lines[i] = (lines[i] ?? '') + String.fromCharCode(...Array.from({ length: 4 }, () => Math.floor(random() * 256)));
      break;
    case 6:
      lines.splice(i, 0, pick([': :', '- [', '{', '"', '&a *a', '<<: *x', '? x', '!!binary', '---', '%YAML 1.1']));
      break;
    default:
      return lines.slice(0, i).join('\n');
  }
  return lines.join('\n');
}

function rss() {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

await conn.sendRequest('initialize', {
  processId: process.pid,
  rootUri: null,
  capabilities: { workspace: { configuration: true } },
});
conn.sendNotification('initialized', {});

const { docs, ours } = documents();
const started = Date.now();
const until = (/** @type {number} */ share) => started + SECONDS * 1000 * share;
let rssStart = 0;

// Every document typed line by line (ours first, then the corpus), then a few character by character.
for (const [i, doc] of docs.entries()) {
  if (Date.now() > until(0.55)) break;
  await session(doc.text, prefixesByLine(doc.text));
  if (i === ours - 1) rssStart = rss();
}
if (!rssStart) rssStart = rss();
for (const doc of docs.slice(0, 4)) {
  if (Date.now() > until(0.7)) break;
  await session(doc.text, prefixesByChar(doc.text));
}
// Random mutations until the time is up.
const samples = [];
let nextSample = Date.now();
while (Date.now() < until(1)) {
  if (Date.now() >= nextSample) {
    samples.push(rss());
    nextSample += 5000;
  }
  let text = pick(docs).text;
  const times = 1 + Math.floor(random() * 5);
  for (let i = 0; i < times; i++) text = mutate(text);
  await session(text, [text]);
}
const rssEnd = rss();

try {
  await withTimeout(conn.sendRequest('shutdown'), 5000, 'shutdown');
  conn.sendNotification('exit');
} catch (e) {
  problems.push(firstLine(e));
}
await new Promise((r) => setTimeout(r, 300));
if (exited && exited.code !== 0) problems.push(`server exited with ${exited.code ?? exited.signal}`);
if (!exited) server.kill();
if (logs.length) problems.push(`${logs.length} errors logged by the server, first: ${logs[0].split('\n')[0]}`);
if (/Unhandled|TypeError|RangeError/.test(stderr)) problems.push(`stderr: ${stderr.split('\n')[0]}`);
// Flat: the second half of the mutation phase must not keep growing. (V8 may still be growing its
// heap early in that phase when the typing phases were short, as without the corpus.)
const base = samples[Math.floor(samples.length / 2)] ?? rssStart;
if (rssEnd > base * 1.3 + 10)
  problems.push(
    `memory grew from ${base.toFixed(0)} MB to ${rssEnd.toFixed(0)} MB in the second half of the mutation phase`,
  );

const secs = ((Date.now() - started) / 1000).toFixed(0);
console.log(
  `fuzz: ${counts.documents} documents (${docs.length} sources, ${ours} of ours), ${counts.changes} edits, ` +
    `${counts.requests} requests, ${counts.answered} answered, ${counts.diagnostics} diagnostics waits, in ${secs} s`,
);
console.log(
  `fuzz: server RSS ${rssStart.toFixed(0)} MB after warm-up, ${samples.map((x) => x.toFixed(0)).join(' ')} MB ` +
    `every 5 s, ${rssEnd.toFixed(0)} MB at the end; crashes ${exited && exited.code !== 0 ? 1 : 0}; errors logged ` +
    `${logs.length}`,
);
for (const p of problems.slice(0, 10)) console.log(`fuzz problem: ${p}`);
console.log(problems.length ? 'fuzz: 0 passed, 1 failed' : 'fuzz: 1 passed, 0 failed');
process.exit(problems.length ? 1 : 0);
