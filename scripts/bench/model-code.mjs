// @ts-check
// The Truss as one unit: reading a 2,000-line model file (against a bare @lezer/python parse of the same
// texts), a rename across config.yaml and model.py (against an empty round trip), and typing in
// config.yaml with and without model code beside it (the model files are parsed once per version, not
// per config edit).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { GAP_MS } from './context.mjs';
import { roundTrip } from './floors.mjs';
import { sleep } from './lsp.mjs';
import { fmt } from './report.mjs';
import { OURS, started } from './servers.mjs';
import { MB, round, summary } from './stats.mjs';
import { editedText } from './synth.mjs';
import * as targets from './targets.mjs';
/** @import { Bench } from './context.mjs' */
/** @import { LspServer } from './lsp.mjs' */

const SECTION = 'Model code (config.yaml and its Python files), p50 (p90)';
const SECRETS = 20;

/** A Truss config declaring the secrets the model reads; typing happens in the last line's value. */
export function modelConfig() {
  const lines = ['model_name: bench-model', 'python_version: py311', 'requirements:', '  - torch==2.3.0'];
  lines.push('resources:', '  accelerator: A10G', '  use_gpu: true', 'secrets:', '  hf_access_token: null');
  for (let i = 0; i < SECRETS; i++) lines.push(`  secret_${i}: null`);
  lines.push('environment_variables:', '  LOG_LEVEL: "info"');
  return { text: `${lines.join('\n')}\n`, editLine: lines.length - 1 };
}

/**
 * A model file of about `lines` lines: a class per block, each binding truss's secrets mapping and reading
 * declared secrets (subscript, `.get`, `in`, guarded and not), among ordinary code.
 * @param {number} lines
 */
export function modelFile(lines) {
  let out = '';
  for (let n = 0; out.split('\n').length < lines; n++) {
    out +=
      `class Helper${n}:\n    def __init__(self, **kwargs):\n        self._secrets = kwargs["secrets"]\n` +
      `    def load(self):\n        token = self._secrets["hf_access_token"]\n` +
      `        if self._secrets and "secret_${n % SECRETS}" in self._secrets:\n` +
      `            key = self._secrets.get("secret_${(n + 1) % SECRETS}")\n` +
      `        try:\n            o = self._secrets["secret_${(n + 2) % SECRETS}"]\n        except Exception:\n` +
      `            o = None\n        for i in range(10):\n            x = [j * 2 for j in range(i) if j % 3]\n` +
      `            y = {"a": i, "b": x, "c": f"v {i}"}\n        return token, o, x, y\n\n`;
  }
  return out;
}

/**
 * Reading the model file's texts (a new text each time, as typing makes) in a process started with the
 * server's flags: `core/python`'s read and, as its floor, the parse alone. p50 and p90 of each.
 * @param {Bench} bench
 * @param {string} text
 */
async function readTimes({ P, tmp, inputs }, text) {
  const bundle = join(tmp, 'python-read.cjs');
  const entry = join(tmp, 'python-read-entry.ts');
  const reads = join(inputs.repoRoot, 'server/src/core/python/secretReads.ts');
  const lezer = join(inputs.repoRoot, 'node_modules/@lezer/python');
  writeFileSync(
    entry,
    `export { pythonSecrets } from ${JSON.stringify(reads)};\nexport { parser } from ${JSON.stringify(lezer)};\n`,
  );
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: bundle,
    logLevel: 'warning',
  });
  const script =
    `const { pythonSecrets, parser } = require(${JSON.stringify(bundle)});\n` +
    `const text = require('node:fs').readFileSync(${JSON.stringify(join(tmp, 'model-file.py'))}, 'utf8');\n` +
    `const runs = ${P.warmup + Math.max(10, Math.round(P.edits / 2))}, warmup = ${P.warmup};\n` +
    'const time = (f) => { const t = []; for (let i = 0; i < runs; i++) { const s = performance.now(); ' +
    'f(`${text}# ${i} ${Math.random()}\\n`); if (i >= warmup) t.push(performance.now() - s); } return t; };\n' +
    'console.log(JSON.stringify({ parse: time((t) => parser.parse(t)), read: time((t) => pythonSecrets(t)) }));\n';
  writeFileSync(join(tmp, 'model-file.py'), text);
  const r = spawnSync(process.execPath, [...inputs.serverFlags, '-e', script], {
    encoding: 'utf8',
    maxBuffer: 16 * MB,
  });
  if (r.status !== 0) throw new Error(`reading the model file failed: ${String(r.stderr).split('\n')[0]}`);
  const { parse, read } = /** @type {{ parse: number[], read: number[] }} */ (JSON.parse(r.stdout));
  return { parse: summary(parse), read: summary(read) };
}

/**
 * A Truss folder on disk (config.yaml, and model/model.py when `model` is given); its config's URI.
 * @param {string} dir
 * @param {string} config
 * @param {string} [model]
 */
function trussFolder(dir, config, model) {
  mkdirSync(join(dir, 'model'), { recursive: true });
  writeFileSync(join(dir, 'config.yaml'), config);
  // Without model code: the same config, its model folder empty.
  if (model !== undefined) writeFileSync(join(dir, 'model', 'model.py'), model);
  return {
    config: pathToFileURL(join(dir, 'config.yaml')).href,
    model: pathToFileURL(join(dir, 'model', 'model.py')).href,
  };
}

/**
 * Edit → diagnostics in two configs, one character per version (as the edit rows type), alternated
 * keystroke by keystroke so that both see the same load: p50 and p90 of each.
 * @param {Bench} bench
 * @param {LspServer} server
 * @param {string[]} uris
 * @param {{ text: string, editLine: number }} config
 */
async function typing({ P }, server, uris, config) {
  for (const uri of uris) await server.open(uri, config.text, 1, 30000);
  const samples = uris.map(() => /** @type {number[]} */ ([]));
  for (let i = 1; i <= P.warmup + P.edits; i++) {
    for (let u = 0; u < uris.length; u++) {
      await sleep(GAP_MS);
      const r = await server.change(uris[u], editedText(config.text, config.editLine, i), i + 1, 30000);
      if (i > P.warmup) samples[u].push(r.ms);
    }
  }
  for (const uri of uris) await server.close(uri);
  await sleep(GAP_MS);
  return samples.map(summary);
}

/**
 * The rows: reading a 2,000-line model file, a rename across config.yaml and model.py, and typing in
 * config.yaml with and without that model code.
 * @param {Bench} bench
 */
export async function modelCodeRows(bench) {
  const { P, report, tmp } = bench;
  const model = modelFile(2000);
  const lines = model.split('\n').length - 1;
  const config = modelConfig();

  const times = await readTimes(bench, model);
  report.row(
    SECTION,
    `read a ${lines.toLocaleString('en-US')}-line model file (parse, bindings, reads)`,
    times.read.p50,
    undefined,
    {
      ...targets.modelRead(times.read.p50),
      floor: times.parse.p50,
    },
  ).p90 = { ours: round(times.read.p90) };

  const server = await started(bench, OURS);
  try {
    const withCode = trussFolder(join(tmp, 'truss-with-code'), config.text, model);
    const without = trussFolder(join(tmp, 'truss-without-code'), config.text);
    // Twice, the second measured (both paths warm).
    await typing(bench, server, [without.config, withCode.config], config);
    const [withoutCode, withModel] = await typing(bench, server, [without.config, withCode.config], config);
    const typed = { without: withoutCode, with: withModel };
    const ratio = typed.with.p50 / typed.without.p50;
    report.row(
      SECTION,
      `typing in config.yaml beside that model file (without: ${fmt(typed.without.p50, 'ms')}); with ÷ without`,
      ratio,
      undefined,
      { unit: '×', ...targets.typingWithCode(typed.with.p50, typed.without.p50) },
    );

    // A rename from a read in model.py: config.yaml and model.py edited, verified (every read checked).
    await server.open(withCode.config, config.text, 1, 30000);
    await server.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: withCode.model, languageId: 'python', version: 1, text: model },
    });
    const at = model.split('\n').findIndex((l) => l.includes('"hf_access_token"'));
    const position = { line: at, character: model.split('\n')[at].indexOf('hf_access_token') + 2 };
    const samples = [];
    let edited = 0;
    for (let i = 0; i < P.warmup + P.edits; i++) {
      const r = await server.request(
        'textDocument/rename',
        { textDocument: { uri: withCode.model }, position, newName: `hf_token_${i}` },
        30000,
      );
      const changes = /** @type {{ changes?: Record<string, unknown[]> }} */ (r.result)?.changes ?? {};
      edited = Object.keys(changes).length;
      if (i >= P.warmup) samples.push(r.ms);
    }
    if (edited !== 2) throw new Error(`the rename edited ${edited} files, not config.yaml and model.py`);
    const rename = summary(samples);
    const floor = await roundTrip(bench, server);
    const reads = model.split('"hf_access_token"').length - 1;
    report.row(
      SECTION,
      `rename across config.yaml and model.py (${reads + 1} edits, verified)`,
      rename.p50,
      undefined,
      {
        ...targets.renameAcross(rename.p50),
        floor,
      },
    ).p90 = { ours: round(rename.p90) };
    report.details.modelCode = { read: times, typing: typed, rename, roundTrip: floor };
  } finally {
    await server.stop();
  }
}
