// Benchmark: our language server and checker side by side with yaml-language-server
// (configured with truss's published schema), in one run, on the same machine.
//
//   npm run bench [-- --json] [-- --quick]
//
// --json   print the results as JSON instead of a table
// --quick  a smoke run for CI (fewer edits and repetitions; no 10,000-line series for
//          yaml-language-server; a workspace of 200 configs instead of 2,000); finishes well
//          within two minutes
//
// It builds what ships (`scripts/build.mjs --production`) into its temporary folder and starts the
// server as the client does, with SERVER_NODE_FLAGS (protocol/protocol.ts). Each row shows the floor it
// is measured against: an empty JSON-RPC round trip, a parse of the same text and no more, node's bare
// start-up, the idle server's memory. The corpus and the reference schema are looked up in ../shared
// beside the repository; without them those parts are skipped.
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { LspServer, killAll } from './bench/lsp.mjs';
import { editedText, syntheticConfig } from './bench/synth.mjs';
import { MB, median, round, summary } from './bench/stats.mjs';
import { buildWorkspace, measureScan, measureTyping } from './bench/workspace.mjs';
import { loadTs, schemaValidator, yamlModule } from './build-plugins.mjs';

const argv = process.argv.slice(2);
const JSON_OUT = argv.includes('--json');
const QUICK = argv.includes('--quick');
for (const a of argv) {
  if (!['--json', '--quick'].includes(a)) {
    console.error(`bench: unknown option ${a} (use --json, --quick)`);
    process.exit(2);
  }
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = resolve(repoRoot, '..', 'shared');
const corpusDir = join(shared, 'corpus');
const schemaPath = join(shared, 'reference', 'truss-config.schema.json');
/** The shipped bundles, built into the temporary folder by main(). */
let serverJs;
let cliJs;
const ylsDir = join(repoRoot, 'node_modules', 'yaml-language-server');
const ylsBin = join(ylsDir, 'bin', 'yaml-language-server');

const P = QUICK
  ? {
      edits: 10,
      warmup: 2,
      starts: 2,
      ylsStarts: 1,
      reps: 40,
      rssPasses: 2,
      checkerRuns: 1,
      seriesBudgetMs: 20000,
      ylsSizes: [100, 1000],
      workspace: 200,
      workspaceSources: 60,
      watchdogMs: 110000,
    }
  : {
      edits: 40,
      warmup: 5,
      starts: 5,
      ylsStarts: 3,
      reps: 100,
      rssPasses: 3,
      checkerRuns: 3,
      seriesBudgetMs: 120000,
      ylsSizes: [100, 1000, 10000],
      workspace: 2000,
      workspaceSources: Infinity,
      watchdogMs: 600000,
    };
const SIZES = [100, 1000, 10000];
const GAP_MS = 10; // idle time between two edits (not measured)

const notes = [];
const loadAtStart = loadavg().map((x) => round(x, 2));
if (loadAtStart[0] > cpus().length / 2) {
  notes.push(
    `the machine was busy when the run started (load average ${loadAtStart[0]} on ${cpus().length} cores): ` +
      `latencies are inflated, ratios less so`,
  );
}
const rows = [];
const details = {};
const startedAt = performance.now();

// ---------------------------------------------------------------- safety nets
let tmp;
const cleanup = () => {
  killAll();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
};
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    cleanup();
    process.exit(130);
  });
}
const watchdog = setTimeout(() => {
  notes.push(`stopped by the ${P.watchdogMs / 1000} s watchdog: the rows below are what was measured until then`);
  report();
  cleanup();
  process.exit(3);
}, P.watchdogMs);
watchdog.unref();

// ---------------------------------------------------------------- inputs
/** The V8 flags the client starts the server with. */
const { SERVER_NODE_FLAGS } = await loadTs('protocol/protocol.ts');
const haveCorpus = existsSync(corpusDir);
const haveSchema = existsSync(schemaPath);
const haveYls = existsSync(ylsBin);
const withYls = haveSchema && haveYls;
const canSnapshot = process.platform !== 'win32';
if (!haveSchema)
  notes.push(`no ${relative(repoRoot, schemaPath)}: yaml-language-server is not measured (its column is left out)`);
else if (!haveYls) notes.push('yaml-language-server is not installed (devDependency): its column is left out');
if (!haveCorpus)
  notes.push(
    `no ${relative(repoRoot, corpusDir)}: real configs are the repository's examples/, memory uses the synthetic ` +
      `set, the checker row is skipped`,
  );

const ylsVersion = haveYls ? JSON.parse(readFileSync(join(ylsDir, 'package.json'), 'utf8')).version : undefined;
/** yaml-language-server's fixed delay between a change and its validation (validationDelayMs). */
const ylsDelayMs = (() => {
  try {
    const m = /validationDelayMs\s*=\s*(\d+)/.exec(
      readFileSync(join(ylsDir, 'out', 'server', 'src', 'yamlSettings.js'), 'utf8'),
    );
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
})();

function corpusFiles() {
  const verdicts = join(corpusDir, 'truss-verdicts.jsonl');
  if (existsSync(verdicts)) {
    return readFileSync(verdicts, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => join(corpusDir, JSON.parse(l).file))
      .filter((f) => existsSync(f));
  }
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) out.push(p);
    }
  };
  walk(corpusDir);
  return out.sort();
}

/** Three real configs: one with docker_auth and secrets, a long generated one, a commented one. */
function realConfigs() {
  const picks = haveCorpus
    ? [
        'other/basetenlabs__truss-examples__OpenFold-Testing-1-wx447g5__config.yaml',
        'other/basetenlabs__truss__truss_configs__dry_run_20251006_110318__config.yaml',
        'truss-examples/04-image-generation__config.yaml',
      ].map((f) => join(corpusDir, f))
    : ['aws-iam-broken', 'gcp-service-account-broken', 'dockerhub-secret-broken'].map((d) =>
        join(repoRoot, 'examples', d, 'config.yaml'),
      );
  let files = picks.filter((f) => existsSync(f));
  if (files.length < 3 && haveCorpus) {
    // The corpus changed: take its three longest files instead.
    files = corpusFiles()
      .map((f) => ({ f, n: readFileSync(f, 'utf8').split('\n').length }))
      .sort((a, b) => b.n - a.n)
      .slice(0, 3)
      .map((x) => x.f);
  }
  return files
    .map((file) => {
      const text = readFileSync(file, 'utf8');
      const lines = text.split('\n');
      let editLine = lines.findIndex((l) => /^model_name:\s*\S/.test(l));
      if (editLine < 0) editLine = lines.findIndex((l) => /^\s*[\w.-]+:\s+[\w"'/.-]/.test(l) && !/#/.test(l));
      // corpus: owner__repo__…__NAME__config.yaml → NAME; examples/NAME/config.yaml → NAME
      const short = haveCorpus
        ? basename(file)
            .replace(/__config\.ya?ml$/, '')
            .split('__')
            .pop()
        : basename(dirname(file));
      return {
        label: `real: ${short} (${lines.length - (text.endsWith('\n') ? 1 : 0)} lines)`,
        file,
        text,
        editLine: Math.max(0, editLine),
        uri: pathToFileURL(file).href,
      };
    })
    .map((c, i, all) => (all.findIndex((o) => o.label === c.label) < i ? { ...c, label: `${c.label} #${i + 1}` } : c));
}

// ---------------------------------------------------------------- servers
const OURS = 'truss-config';
const YLS = 'yaml-language-server';

/** Ours starts with the client's flags (`nodeFlags: []` for node's defaults, for comparison). */
function startServer(kind, { heapSnapshots = false, nodeFlags = kind === OURS ? SERVER_NODE_FLAGS : [] } = {}) {
  const nodeArgs = [...nodeFlags, ...(heapSnapshots ? ['--heapsnapshot-signal=SIGUSR2'] : [])];
  if (kind === OURS) {
    return new LspServer({
      name: OURS,
      command: process.execPath,
      args: [...nodeArgs, serverJs, '--stdio'],
      cwd: tmp,
      versioned: true,
      // Every file is checked as a Truss config, whatever its name (corpus files are NAME__config.yaml).
      configuration: (section) =>
        section === 'trussConfig'
          ? { validate: { enable: true }, detect: 'always', files: ['**/*.yaml', '**/*.yml'] }
          : {},
    });
  }
  const schemaUri = pathToFileURL(schemaPath).href;
  return new LspServer({
    name: YLS,
    command: process.execPath,
    args: [...nodeArgs, ylsBin, '--stdio'],
    cwd: tmp,
    versioned: false, // it publishes diagnostics without a version
    configuration: (section) =>
      section === 'yaml'
        ? {
            schemas: { [schemaUri]: ['*.yaml', '*.yml'] },
            validate: true,
            hover: true,
            completion: true,
            schemaStore: { enable: false }, // no network
            kubernetesCRDStore: { enable: false },
          }
        : {},
  });
}

/** Our server as an editor starts it on a workspace: default settings (`{}` for every section asked). */
function workspaceServer() {
  return new LspServer({
    name: `${OURS} (workspace)`,
    command: process.execPath,
    args: [...SERVER_NODE_FLAGS, serverJs, '--stdio'],
    cwd: tmp,
    versioned: true,
    configuration: () => ({}),
  });
}

async function started(kind, options) {
  const s = startServer(kind, options);
  await s.initialize();
  if (kind === YLS) {
    // It pulls its settings after `initialized`; wait for that before timing anything.
    const t0 = performance.now();
    while (s.configurationRequests === 0 && performance.now() - t0 < 5000) await sleep(5);
    await sleep(50);
  }
  return s;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const waitMs = (kind, lines) => (kind === YLS ? 30000 + lines * 10 : 10000 + lines);

// ---------------------------------------------------------------- measurements

/**
 * Full-text didChange per keystroke, typed at the end of one line's value (`afterQuote`: after its
 * closing quote, which breaks the YAML); returns the latencies.
 */
async function editSeries(server, kind, subject, { afterQuote = false } = {}) {
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

/** An empty JSON-RPC round trip in the rhythm of the edits: hover on a document that is not open. */
async function roundTrip(server) {
  const samples = [];
  for (let i = 0; i < P.warmup + P.edits; i++) {
    await sleep(GAP_MS);
    const r = await server.request(
      'textDocument/hover',
      {
        textDocument: { uri: pathToFileURL(join(tmp, 'not-open', 'config.yaml')).href },
        position: { line: 0, character: 0 },
      },
      10000,
    );
    if (i >= P.warmup) samples.push(r.ms);
  }
  return median(samples);
}

/** A parse of each subject's texts and nothing else, as editSeries sends them: p50 per label (parse-floor.mjs). */
async function parseFloor(subjects) {
  const bundle = join(tmp, 'parse-floor.cjs');
  await build({
    entryPoints: [join(repoRoot, 'server', 'src', 'core', 'yaml', 'parse.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    minify: true,
    outfile: bundle,
    logLevel: 'warning',
    plugins: [schemaValidator, yamlModule],
  });
  const input = join(tmp, 'parse-floor.json');
  const list = subjects.map(({ label, text, editLine }) => ({ label, text, editLine }));
  writeFileSync(input, JSON.stringify({ gapMs: GAP_MS, warmup: P.warmup, edits: P.edits, subjects: list }));
  const script = join(repoRoot, 'scripts', 'bench', 'parse-floor.mjs');
  const r = spawnSync(process.execPath, [...SERVER_NODE_FLAGS, script, bundle, input], {
    encoding: 'utf8',
    maxBuffer: 16 * MB,
  });
  if (r.status !== 0) throw new Error(`parse floor failed: ${String(r.stderr).split('\n')[0]}`);
  return JSON.parse(r.stdout);
}

/** Node's bare start-up: spawn to exit of `node -e 0`, median. */
function bareStart(runs) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

async function startToFirst(kind, subject, runs) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const s = startServer(kind);
    try {
      const first = s.waitFor((p) => p.uri === subject.uri, waitMs(kind, 100), 'first diagnostics');
      await s.initialize();
      await s.connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri: subject.uri, languageId: 'yaml', version: 1, text: subject.text },
      });
      const p = await first;
      samples.push(p.at - s.spawnedAt);
    } finally {
      await s.stop();
    }
  }
  return { ...summary(samples), samples: samples.map((x) => round(x, 1)) };
}

/** Positions for completion and hover, found in the text (those that are missing are left out). */
function featurePositions(text) {
  const lines = text.split('\n');
  const find = (re) => lines.findIndex((l) => re.test(l));
  const out = { completion: [], hover: [] };
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

function resultSize(method, result) {
  if (!result) return 0;
  if (method === 'textDocument/completion') return Array.isArray(result) ? result.length : (result.items ?? []).length;
  return result.contents ? 1 : 0;
}

/**
 * Completion or hover latency, positions interleaved, on a document opened and validated once;
 * each request is sent as soon as the previous answer arrived (no idle time to wake up from).
 */
async function featureSeries(server, kind, subject, method, positions) {
  if (!positions.length) return undefined;
  const timeout = waitMs(kind, 100);
  await server.open(subject.uri, subject.text, 1, timeout);
  const per = positions.map((p) => ({ name: p.name, line: p.line, character: p.character, samples: [], size: 0 }));
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
 * Opens every file (in batches of 20, waiting for their diagnostics) and keeps them open; then
 * closes them all and does it again, `passes` times. RSS after each pass; with `heap`, the live
 * heap (a heap snapshot) after the last pass.
 */
async function memorySeries(kind, files, passes, heap = false, nodeFlags = undefined) {
  const server = await started(kind, { heapSnapshots: heap, ...(nodeFlags ? { nodeFlags } : {}) });
  await sleep(200);
  const idle = server.rss();
  const subjects = files.map((f) => ({ uri: f.uri, text: f.text }));
  let peak = 0;
  const sampler = setInterval(() => {
    const r = server.rss();
    if (r && r > peak) peak = r;
  }, 50);
  const afterPass = [];
  let live;
  const t0 = performance.now();
  try {
    for (let pass = 0; pass < passes; pass++) {
      for (let i = 0; i < subjects.length; i += 20) {
        const batch = subjects.slice(i, i + 20);
        await Promise.all(batch.map((s) => server.open(s.uri, s.text, 1, waitMs(kind, 1000) + 30000)));
      }
      await sleep(200);
      afterPass.push(server.rss());
      if (pass < passes - 1) {
        for (const s of subjects) await server.close(s.uri);
        await sleep(100);
      }
    }
    clearInterval(sampler);
    if (heap) live = await server.liveHeap();
  } finally {
    clearInterval(sampler);
    await server.stop();
  }
  return {
    files: subjects.length,
    idleMB: round(idle / MB, 1),
    afterPassMB: afterPass.map((b) => round(b / MB, 1)),
    peakMB: round(peak / MB, 1),
    liveHeapMB: live === undefined ? undefined : round(live / MB, 2),
    seconds: round((performance.now() - t0) / 1000, 1),
  };
}

/** Version ordering under a burst of changes, and cancellation (our server). */
async function behaviourChecks(subject) {
  const server = await started(OURS);
  const out = {};
  try {
    // 1. A burst of 20 changes sent back to back: results come in version order, the last one is the final version.
    const { uri, text } = subject;
    await server.open(uri, text, 1, 10000);
    const from = server.published.length;
    let v = 1;
    for (let i = 1; i <= 20; i++) server.changeNoWait(uri, editedText(text, subject.editLine, i), ++v);
    await server.diagnosticsFor(uri, v, 10000);
    await sleep(300);
    const versions = server.published
      .slice(from)
      .filter((p) => p.uri === uri)
      .map((p) => p.version);
    const ordered = versions.every((x, i) => i === 0 || x > versions[i - 1]);
    out.burst = { sent: 20, published: versions, ordered, lastIsFinal: versions[versions.length - 1] === v };

    // 2. Cancellation. (a) Cancelled as soon as sent. (b) Cancelled while the server waits for the client's settings.
    const position = featurePositions(text).completion[0] ?? { line: 0, character: 0 };
    const params = { textDocument: { uri }, position: { line: position.line, character: position.character } };
    const control = await server.request('textDocument/completion', params, 5000);
    const a = await server.cancelledRequest('textDocument/completion', params, 5000);
    server.configurationDelayMs = 100;
    await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const b = await server.cancelledRequest('textDocument/completion', params, 5000, 20);
    server.configurationDelayMs = 0;
    const honoured = (r) => (r.error ? r.error.code === -32800 : resultSize('textDocument/completion', r.result) === 0);
    const describe = (r) =>
      r.error
        ? r.error.code === -32800
          ? 'cancelled'
          : `error ${r.error.code}`
        : `${resultSize('textDocument/completion', r.result)} items`;
    out.cancellation = {
      controlItems: resultSize('textDocument/completion', control.result),
      // Racy by nature: the server may answer before it reads the cancellation.
      immediately: describe(a),
      inFlight: describe(b),
      honoured: honoured(b) && resultSize('textDocument/completion', control.result) > 0,
    };
    await server.close(uri);
  } finally {
    await server.stop();
  }
  return out;
}

function checkerRun(files) {
  const samples = [];
  let status;
  for (let i = 0; i < P.checkerRuns; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [cliJs, '--format', 'json', '--detect', 'always', ...files], {
      encoding: 'utf8',
      maxBuffer: 512 * MB,
      timeout: 60000,
    });
    samples.push(performance.now() - t0);
    status = r.status;
    if (r.status === 2 || r.status === null)
      throw new Error(`the checker failed (status ${r.status}): ${String(r.stderr).split('\n')[0]}`);
  }
  return { ...summary(samples), samples: samples.map((x) => round(x, 1)), status };
}

// ---------------------------------------------------------------- rows

/** One row of the table; `floor`: what the row is measured against (same unit), shown beside it. */
function row(section, label, ours, yls, { unit = 'ms', target, pass, ratio, info, floor } = {}) {
  const r = { section, label, unit, ours: round(ours, unit === 'ms' ? 2 : 1), yls: round(yls, unit === 'ms' ? 2 : 1) };
  if (floor !== undefined) r.floor = round(floor, unit === 'ms' ? 2 : 1);
  if (ratio !== undefined) r.ratio = round(ratio, 1);
  else if (typeof ours === 'number' && typeof yls === 'number' && ours > 0) r.ratio = round(yls / ours, 1);
  if (target) {
    r.target = target;
    r.status = pass === undefined ? 'SKIP' : pass ? 'PASS' : 'MISS';
  } else r.status = info ?? '';
  rows.push(r);
  return r;
}

// ---------------------------------------------------------------- run

async function main() {
  tmp = mkdtempSync(join(tmpdir(), 'truss-bench-'));
  // What ships: the bundles `npm run package` builds.
  const shipped = join(tmp, 'dist');
  const b = spawnSync(
    process.execPath,
    [join(repoRoot, 'scripts', 'build.mjs'), '--production', `--outdir=${shipped}`],
    {
      cwd: repoRoot,
      encoding: 'utf8',
    },
  );
  if (b.status !== 0) throw new Error(`the build failed: ${String(b.stderr).split('\n')[0]}`);
  serverJs = join(shipped, 'server.js');
  cliJs = join(shipped, 'cli.js');
  const real = realConfigs();
  const synthetic = SIZES.map((n) => {
    const { text, editLine } = syntheticConfig(n);
    const dir = join(tmp, `synthetic-${n}`);
    const file = join(dir, 'config.yaml');
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, text);
    return {
      label: `synthetic ${n.toLocaleString('en-US')} lines`,
      lines: n,
      file,
      text,
      editLine,
      uri: pathToFileURL(file).href,
    };
  });
  const kinds = withYls ? [OURS, YLS] : [OURS];

  // Sanity: both servers really check (a file with schema errors gets schema diagnostics).
  details.sanity = {};
  for (const kind of kinds) {
    const s = await started(kind);
    try {
      const uri = pathToFileURL(join(tmp, 'sanity', 'config.yaml')).href;
      const p = await s.open(uri, 'model_name: 3\nresources:\n  cpu: [2]\n', 1, 30000);
      details.sanity[kind] = p.diagnostics.map((d) => d.message);
      if (!p.diagnostics.length) throw new Error(`${kind} reported nothing for a config with schema errors`);
    } finally {
      await s.stop();
    }
  }

  // 1. Edit -> diagnostics, and its floor: the empty round trip plus a parse of the same texts.
  const edit = {};
  const roundTrips = {};
  const big = synthetic.find((x) => x.lines === 10000);
  let bigBroken;
  for (const kind of kinds) {
    const server = await started(kind);
    try {
      for (const subject of [...real, ...synthetic]) {
        if (kind === YLS && subject.lines && !P.ylsSizes.includes(subject.lines)) continue;
        edit[subject.label] ??= {};
        edit[subject.label][kind] = await editSeries(server, kind, subject);
      }
      if (kind === OURS) bigBroken = await editSeries(server, kind, big, { afterQuote: true });
      roundTrips[kind] = await roundTrip(server);
    } finally {
      await server.stop();
    }
  }
  // The same series once more with node's default flags (the same files in the same order, so both
  // servers have done the same work before the 10,000-line file): what the client's flags cost there.
  const defaults = await started(OURS, { nodeFlags: [] });
  let bigDefault;
  try {
    for (const subject of [...real, ...synthetic]) {
      const r = await editSeries(defaults, OURS, subject);
      if (subject === big) bigDefault = r;
    }
  } finally {
    await defaults.stop();
  }
  const parseOnly = await parseFloor([...real, ...synthetic]);
  const floorOf = (subject) => roundTrips[OURS] + parseOnly[subject.label];
  details.edit = edit;
  details.editFloor = { roundTrip: roundTrips, parseOnly, [`${big.label}, node defaults`]: bigDefault };
  const delayNote = [];
  for (const subject of real) {
    const o = edit[subject.label][OURS];
    const y = edit[subject.label][YLS];
    const net = y && ylsDelayMs ? (y.p50 - ylsDelayMs) / o.p50 : y ? y.p50 / o.p50 : undefined;
    row('Edit → diagnostics, p50 (p90)', subject.label, o.p50, y?.p50, {
      target: withYls ? '≤ 1.5 ms, ≥ 3× net of its delay' : '≤ 1.5 ms',
      pass: o.p50 <= 1.5 && (net === undefined || net >= 3),
      floor: floorOf(subject),
    }).p90 = { ours: round(o.p90), yls: round(y?.p90) };
    if (y && ylsDelayMs)
      delayNote.push(
        `${subject.label.replace(/ \(.*/, '')}: ${round(y.p50 - ylsDelayMs, 1)} ms ` +
          `(${round((y.p50 - ylsDelayMs) / o.p50, 1)}×)`,
      );
  }
  for (const subject of synthetic) {
    const o = edit[subject.label][OURS];
    const y = edit[subject.label][YLS];
    const isBig = subject.lines === 10000;
    const r = row(
      'Edit → diagnostics, p50 (p90)',
      subject.label,
      o.p50,
      y?.p50,
      isBig
        ? {
            target: withYls ? '≤ 60 ms, ≤ ¼ of yaml-language-server' : '≤ 60 ms',
            pass: o.p50 <= 60 && (y ? o.p50 <= y.p50 / 4 : true),
            floor: floorOf(subject),
          }
        : { floor: floorOf(subject) },
    );
    r.p90 = { ours: round(o.p90), yls: round(y?.p90) };
    if (isBig && !y && withYls) notes.push('--quick: yaml-language-server is not run on the 10,000-line file');
    if (y && ylsDelayMs)
      delayNote.push(
        `${subject.label.replace('synthetic ', '')}: ${round(y.p50 - ylsDelayMs, 1)} ms ` +
          `(${round((y.p50 - ylsDelayMs) / o.p50, 1)}×)`,
      );
  }
  const [p100, p1k, p10k] = synthetic.map((s) => edit[s.label][OURS].p50);
  const growth = p10k / p1k;
  const points = [p100, p1k, p10k].map((x) => fmt(x, 'ms').replace(' ms', '')).join(' / ');
  row(
    'Edit → diagnostics, p50 (p90)',
    `our growth: 100 / 1,000 / 10,000 lines = ${points} ms; 1,000 → 10,000`,
    growth,
    undefined,
    {
      unit: '×',
      target: '≤ 11× (10× = linear)',
      pass: growth <= 11,
    },
  ).points = { 100: round(p100), 1000: round(p1k), 10000: round(p10k) };
  row(
    'Edit → diagnostics, p50 (p90)',
    `10,000 lines with node's default flags: ${fmt(bigDefault.p50, 'ms')}; the client's flags cost`,
    (p10k / bigDefault.p50 - 1) * 100,
    undefined,
    { unit: '%', target: '≤ +10%', pass: p10k <= bigDefault.p50 * 1.1 },
  );
  row(
    'Edit → diagnostics, p50 (p90)',
    '10,000 lines, typed after the closing quote: broken YAML at every version, so each is parsed anew',
    bigBroken.p50,
    undefined,
    { info: 'info' },
  ).p90 = { ours: round(bigBroken.p90) };
  details.editBroken = bigBroken;
  if (delayNote.length) {
    notes.push(
      `yaml-language-server waits a fixed ${ylsDelayMs} ms (validationDelayMs) before it validates; ` +
        'that is included above, as our own scheduling is. ' +
        `Net of it, its p50 and our ratio are: ${delayNote.join('; ')}.`,
    );
  }

  // 2. Start -> first diagnostics, against node's bare start-up.
  const start = {};
  for (const kind of kinds) start[kind] = await startToFirst(kind, real[0], kind === OURS ? P.starts : P.ylsStarts);
  const nodeStart = bareStart(P.starts);
  details.start = { ...start, nodeBareStart: nodeStart };
  row(
    'Start → first diagnostics, p50',
    `spawn to first publishDiagnostics (${real[0].label.replace(/^real: /, '')})`,
    start[OURS].p50,
    start[YLS]?.p50,
    {
      target: '≤ 150 ms',
      pass: start[OURS].p50 <= 150,
      floor: nodeStart,
    },
  );

  // 3. Completion and hover.
  const positions = featurePositions(real[0].text);
  const feat = { completion: {}, hover: {}, floor: {} };
  for (const kind of kinds) {
    const server = await started(kind);
    try {
      feat.completion[kind] = await featureSeries(
        server,
        kind,
        real[0],
        'textDocument/completion',
        positions.completion,
      );
      feat.hover[kind] = await featureSeries(server, kind, real[0], 'textDocument/hover', positions.hover);
      feat.floor[kind] = await featureSeries(server, kind, real[0], 'textDocument/hover', positions.floor);
    } finally {
      await server.stop();
    }
  }
  details.features = feat;
  for (const what of ['completion', 'hover']) {
    const o = feat[what][OURS];
    const y = feat[what][YLS];
    if (!o) {
      notes.push(`${what}: no position found in ${real[0].label}`);
      continue;
    }
    const ratio = y ? y.p50 / o.p50 : undefined;
    const r = row(
      'Completion and hover, p50 (p90)',
      `${what} (${o.positions.length} positions × ${P.reps})`,
      o.p50,
      y?.p50,
      {
        target: withYls ? '≤ 5 ms, ≤ ½ of yaml-language-server' : '≤ 5 ms',
        pass: o.p50 <= 5 && (ratio === undefined || ratio >= 2),
        floor: feat.floor[OURS].p50,
      },
    );
    r.p90 = { ours: round(o.p90), yls: round(y?.p90) };
  }
  row(
    'Completion and hover, p50 (p90)',
    'round trip: hover where there is nothing to show',
    feat.floor[OURS].p50,
    feat.floor[YLS]?.p50,
    { info: 'info' },
  ).p90 = {
    ours: round(feat.floor[OURS].p90),
    yls: round(feat.floor[YLS]?.p90),
  };

  // 4. Memory.
  const memFiles = haveCorpus
    ? corpusFiles().map((f) => ({ uri: pathToFileURL(f).href, text: readFileSync(f, 'utf8') }))
    : Array.from({ length: 60 }, (_, i) => {
        const n = [100, 300, 1000][i % 3];
        return { uri: pathToFileURL(join(tmp, `mem-${i}`, 'config.yaml')).href, text: syntheticConfig(n + i).text };
      });
  const mem = {};
  for (const kind of kinds) mem[kind] = await memorySeries(kind, memFiles, P.rssPasses, kind === OURS && canSnapshot);
  // The live heap after one pass, from a second process, to compare with the one after the last pass.
  const onePass = canSnapshot ? await memorySeries(OURS, memFiles, 1, true) : undefined;
  // For comparison: node's default flags (not how the client starts the server).
  const small = await memorySeries(OURS, memFiles, 1, false, []);
  details.memory = { ...mem, [`${OURS} (1 pass)`]: onePass, [`${OURS}, node defaults`]: small };
  const setName = haveCorpus ? `${memFiles.length} corpus configs` : `${memFiles.length} synthetic configs`;
  const rss = mem[OURS].afterPassMB;
  const ylsRss = mem[YLS]?.afterPassMB;
  row('Memory', `RSS, the ${setName} opened one after another (kept open)`, rss[0], ylsRss?.[0], {
    unit: 'MB',
    target: '≤ 70 MB',
    pass: rss[0] <= 70,
    floor: mem[OURS].idleMB,
  });
  row('Memory', `RSS after closing and reopening them ${P.rssPasses - 1} more time(s)`, rss.at(-1), ylsRss?.at(-1), {
    unit: 'MB',
    info: 'info',
  });
  row('Memory', 'peak RSS', mem[OURS].peakMB, mem[YLS]?.peakMB, { unit: 'MB', info: 'info' });
  row('Memory', `RSS, first pass, with node's default flags (comparison)`, small.afterPassMB[0], undefined, {
    unit: 'MB',
    info: 'info',
    floor: small.idleMB,
  });
  if (onePass?.liveHeapMB !== undefined && mem[OURS].liveHeapMB !== undefined) {
    const growth = mem[OURS].liveHeapMB - onePass.liveHeapMB;
    row(
      'Memory',
      `live heap (heap snapshot), 1 → ${P.rssPasses} passes: ${onePass.liveHeapMB} → ${mem[OURS].liveHeapMB} MB; ` +
        `growth`,
      growth,
      undefined,
      {
        unit: 'MB',
        target: 'no leak (≤ +2 MB)',
        pass: growth <= 2,
      },
    );
  } else {
    notes.push('live heap not measured (heap snapshots on SIGUSR2 need Linux or macOS)');
  }

  // 5. The workspace scan, alone and while typing.
  await workspaceRows(real[0], positions.completion);

  // 6. Behaviour: version order and cancellation.
  const checks = await behaviourChecks(synthetic[1]);
  details.checks = checks;
  row(
    'Behaviour (our server)',
    `20 changes sent at once: ${checks.burst.published.length} published (v${checks.burst.published.join(', v')})`,
    undefined,
    undefined,
    {
      unit: '',
      target: 'in order, last = final, stale skipped',
      pass: checks.burst.ordered && checks.burst.lastIsFinal && checks.burst.published.length <= 3,
    },
  );
  row(
    'Behaviour (our server)',
    `completion cancelled in flight → ${checks.cancellation.inFlight} (not cancelled: ` +
      `${checks.cancellation.controlItems})`,
    undefined,
    undefined,
    {
      unit: '',
      target: 'honoured',
      pass: checks.cancellation.honoured,
    },
  );

  // 7. The checker over the corpus.
  if (haveCorpus) {
    const files = corpusFiles();
    const c = checkerRun(files);
    const nodeStart = bareStart(P.starts);
    details.checker = { files: files.length, ...c, nodeBareStart: nodeStart };
    row('Checker (dist/cli.js)', `${files.length} corpus files, wall time (median of ${c.n})`, c.p50, undefined, {
      target: '≤ 600 ms',
      pass: c.p50 <= 600,
      floor: nodeStart,
    });
    const rate = files.length / (c.p50 / 1000);
    row('Checker (dist/cli.js)', 'files per second', rate, undefined, {
      unit: 'files/s',
      target: '≥ 700/s',
      pass: rate >= 700,
    });
  } else {
    row('Checker (dist/cli.js)', 'corpus absent: not measured', undefined, undefined, { target: '≤ 600 ms' });
  }

  // 8. The .vsix.
  const vsix = readdirSync(repoRoot)
    .filter((f) => f.endsWith('.vsix'))
    .map((f) => ({ f, size: statSync(join(repoRoot, f)).size, mtime: statSync(join(repoRoot, f)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime)[0];
  if (vsix)
    row('Package', `${vsix.f}`, vsix.size / 1024, undefined, {
      unit: 'KB',
      target: '≤ 1,024 KB',
      pass: vsix.size <= 1024 * 1024,
    });
  else
    row('Package', '.vsix not built (run npm run package)', undefined, undefined, { unit: 'KB', target: '≤ 1,024 KB' });
}

/**
 * A generated workspace of P.workspace configs (copies of the corpus, else synthetic configs),
 * scanned by our server from its start: once alone (time, memory), once while typing in one config.
 */
async function workspaceRows(subject, completionPositions) {
  const n = P.workspace;
  const sources = haveCorpus
    ? corpusFiles()
        .slice(0, P.workspaceSources)
        .map((f) => ({ text: readFileSync(f, 'utf8') }))
    : Array.from({ length: Math.min(n, P.workspaceSources, 50) }, (_, i) => ({
        text: syntheticConfig(40 + ((i * 37) % 160)).text.replace('bench-synthetic', `bench-synthetic-${i}`),
      }));
  const t0 = performance.now();
  const ws = buildWorkspace({ root: tmp, count: n, sources, typing: subject, cliJs });
  const madeMs = performance.now() - t0;
  const timeoutMs = QUICK ? 60000 : 180000;
  const scan = await measureScan(workspaceServer, ws, timeoutMs);
  const typing = await measureTyping(workspaceServer, ws, completionPositions, timeoutMs);
  rmSync(ws.dir, { recursive: true, force: true });
  details.workspace = {
    seconds: round((performance.now() - t0) / 1000, 1),
    made:
      `${ws.layout.trussConfigs} Truss configs, copies of ${ws.layout.distinctSources} ` +
      `${haveCorpus ? 'corpus' : 'synthetic'} configs`,
    layout: ws.layout,
    expected: ws.expected,
    writeMs: round(madeMs, 0),
    scan: {
      ...scan,
      ms: round(scan.ms, 1),
      fromInitializedMs: round(scan.fromInitializedMs, 1),
      rssEndMB: round(scan.rssEnd / MB, 1),
      rssPeakMB: round(scan.rssPeak / MB, 1),
      rssPeakSampledMB: round(scan.rssPeakSampled / MB, 1),
      rescan: { ...scan.rescan, ms: round(scan.rescan.ms, 1), rssPeakMB: round(scan.rescan.rssPeak / MB, 1) },
    },
    typing: Object.fromEntries(
      Object.entries(typing).map(([k, v]) => [
        k,
        typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([a, b]) => [a, round(b, 3)])) : round(v, 3),
      ]),
    ),
  };
  const l = ws.layout;
  notes.push(
    `workspace: ${details.workspace.made} (${l.otherYaml} other YAML files beside them), written in ` +
      `${round(madeMs / 1000, 1)} s; the scan's peak RSS sampled every 50 ms: ` +
      `${details.workspace.scan.rssPeakSampledMB} MB; ` +
      `the workspace rows took ${details.workspace.seconds} s`,
  );
  const section =
    `Workspace scan: ${l.trussConfigs.toLocaleString('en-US')} configs in nested folders ` +
    `(${l.planted} with a planted problem), ${l.notTruss} non-Truss config.yaml, ` +
    `${l.skippedFolders} configs in node_modules/.venv`;
  row(section, 'spawn → diagnostics of the last config', scan.ms, undefined, {
    target: '≤ 10,000 ms',
    pass: scan.ms <= 10000,
  });
  const haveMem = scan.rssEnd !== undefined;
  row(section, 'server RSS at the end of the scan', haveMem ? scan.rssEnd / MB : undefined, undefined, {
    unit: 'MB',
    target: '≤ 150 MB',
    pass: haveMem ? scan.rssEnd <= 150 * MB : undefined,
  });
  row(section, 'server peak RSS during the scan (VmHWM)', haveMem ? scan.rssPeak / MB : undefined, undefined, {
    unit: 'MB',
    target: '≤ 150 MB',
    pass: haveMem ? scan.rssPeak <= 150 * MB : undefined,
  });
  const r = scan.rescan;
  const e = ws.expected;
  row(
    section,
    `scan again by request: ${r.configs}/${e.configs} configs, ${r.withProblems}/${e.withProblems} ` +
      `with problems, ${scan.unexpected.length} skipped file(s) with diagnostics`,
    r.ms,
    undefined,
    {
      target: 'all found, nothing else',
      pass: r.configs === e.configs && r.withProblems === e.withProblems && scan.unexpected.length === 0,
    },
  );
  const typingSection = 'Typing during the workspace scan, p50 (p95)';
  const c = typing.completion;
  row(typingSection, `completion (${completionPositions.length} positions, ${c.n} requests)`, c.p50, undefined, {
    target: '≤ 20 ms',
    pass: c.n ? c.p50 <= 20 : undefined,
  }).p95 = { ours: round(typing.completionP95) };
  row(typingSection, `edit → diagnostics (${typing.edit.n} edits)`, typing.edit.p50, undefined, {
    info: 'info',
  }).p95 = { ours: round(typing.editP95) };
  row(typingSection, 'completion after the scan (same server)', typing.idleCompletion.p50, undefined, {
    info: 'info',
  });
  row(typingSection, 'spawn → diagnostics of the last config, while typing', typing.scanMs, undefined, {
    info: 'info',
  });
}

// ---------------------------------------------------------------- output

function fmt(v, unit) {
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

function report() {
  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: `${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
    quick: QUICK,
    shared: existsSync(shared) ? shared : `${shared} (absent)`,
    ours: `node ${SERVER_NODE_FLAGS.join(' ')} server.js --stdio (scripts/build.mjs --production)`,
    yamlLanguageServer: withYls ? `${ylsVersion}, schema ${schemaPath}` : 'not measured',
    edits:
      `${P.edits} measured edits after ${P.warmup} warm-up edits, typed at the end of one value, ` +
      `full-text didChange, ${GAP_MS} ms apart`,
    seconds: round((performance.now() - startedAt) / 1000, 1),
    loadAverage: { start: loadAtStart, end: loadavg().map((x) => round(x, 2)) },
  };
  if (JSON_OUT) {
    console.log(JSON.stringify({ meta, rows, notes, details }, null, 2));
    return;
  }
  const showYls = withYls;
  const head = ['', OURS, 'floor', ...(showYls ? [`${YLS} ${ylsVersion}`, 'ratio'] : []), 'target', ''];
  const body = [];
  let section;
  for (const r of rows) {
    if (r.section !== section) {
      section = r.section;
      body.push({ section });
    }
    const spread = r.p95 ?? r.p90; // shown in brackets after the p50
    const p90 = (k) => (spread && spread[k] !== undefined ? ` (${fmt(spread[k], 'ms')})` : '');
    let ours = r.ours === undefined ? '' : fmt(r.ours, r.unit) + p90('ours');
    const yls =
      r.yls === undefined ? (r.ours === undefined || r.unit === '×' ? '' : '—') : fmt(r.yls, r.unit) + p90('yls');
    const ratio = r.ratio !== undefined && r.yls !== undefined ? `${r.ratio}×` : '';
    const floor = r.floor === undefined ? '' : fmt(r.floor, r.unit);
    body.push([`  ${r.label}`, ours, floor, ...(showYls ? [yls, ratio] : []), r.target ?? '', r.status]);
  }
  const widths = head.map((h, i) => Math.max(h.length, ...body.filter(Array.isArray).map((b) => String(b[i]).length)));
  const line = (cells) =>
    cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  console.log(`truss-config benchmark — ${meta.date}, Node ${meta.node}, ${meta.cpu}${QUICK ? ', --quick' : ''}`);
  console.log(`truss-config: ${meta.ours}`);
  console.log(`yaml-language-server: ${meta.yamlLanguageServer}`);
  console.log(
    `edits: ${meta.edits}; ratio = yaml-language-server ÷ ours; load average ${meta.loadAverage.start.join(' ')} → ` +
      `${meta.loadAverage.end.join(' ')}`,
  );
  console.log(
    'floor: edits: an empty round trip + a parse of the same texts, each from the one before (nothing else); ' +
      "completion and hover: an empty round trip; start and checker: node's bare start-up; memory: the idle server",
  );
  console.log('');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(Array.isArray(b) ? line(b) : b.section);
  console.log('');
  for (const n of notes) console.log(`note: ${n}`);
  const misses = rows.filter((r) => r.status === 'MISS').length;
  console.log(
    `${rows.filter((r) => r.status === 'PASS').length} targets met, ${misses} missed, ` +
      `${rows.filter((r) => r.status === 'SKIP').length} skipped; ${meta.seconds} s`,
  );
}

main()
  .then(() => {
    clearTimeout(watchdog);
    report();
    cleanup();
    process.exit(0);
  })
  .catch((e) => {
    notes.push(`failed: ${e instanceof Error ? e.message : String(e)}`);
    report();
    cleanup();
    process.exit(1);
  });
