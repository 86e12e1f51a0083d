// The workspace rows of the benchmark: a generated workspace of Truss configs in nested folders
// (with node_modules and non-Truss config.yaml files beside them), scanned by the server on start.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { percentile, summary } from './stats.mjs';

/** The server's request that scans the workspace again and answers {configs, withProblems}. */
const CHECK_WORKSPACE = 'trussConfig/checkWorkspace';

/** A problem planted at the end of a config: an unknown top-level key (a typo of `resources`). */
const PLANT = 'resorces:\n  cpu: "1"\n';
const planted = (text) => `${text}${text.endsWith('\n') || !text ? '' : '\n'}${PLANT}`;

/** config.yaml files of other tools: the server must not take them for Truss configs. */
const NOT_TRUSS = [
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n',
  'defaults:\n  - model: resnet\n  - _self_\nhydra:\n  run:\n    dir: outputs\nseed: 42\ntrainer:\n  max_epochs: 10\n',
  'name: ci\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n',
  'service: api\nprovider:\n  name: aws\n  region: us-east-1\nfunctions:\n  hello:\n    handler: handler.hello\n',
  'server:\n  port: 8080\nlogging:\n  level: info\ndatabase:\n  url: postgres://localhost/app\n',
];

const pad = (n) => String(n).padStart(4, '0');

/**
 * Writes a workspace of `count` Truss configs made from `sources` ([{ text }], used in turn), below
 * `root/workspace`. One config in four has a planted problem, and so do the last five (the last the
 * server reaches, as it walks folders in name order). Beside them: non-Truss config.yaml files, other
 * YAML files, and Truss configs under node_modules and .venv (which the server must skip).
 * `typing` ({ text }) is added as one more config, for the typing measurement.
 * Every source is first run through the checker (`cliJs`, one process) to know which are Truss
 * configs, which have problems, and that the planted problem is reported.
 */
export function buildWorkspace({ root, count, sources, typing, cliJs }) {
  // 1. The checker's verdict on each source, as is and planted, and on the non-Truss files.
  const check = join(root, 'workspace-check');
  const write = (file, text) => {
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text);
  };
  const all = [...sources, typing];
  all.forEach((s, i) => {
    write(join(check, `s${i}`, 'config.yaml'), s.text);
    write(join(check, `p${i}`, 'config.yaml'), planted(s.text));
  });
  NOT_TRUSS.forEach((text, i) => write(join(check, `n${i}`, 'config.yaml'), text));
  const r = spawnSync(process.execPath, [cliJs, '--format', 'json', check], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 120000,
  });
  if (r.status !== 0 && r.status !== 1) {
    throw new Error(`workspace: the checker failed (status ${r.status}): ${String(r.stderr).split('\n')[0]}`);
  }
  const found = new Map(
    JSON.parse(r.stdout).map((f) => [relative(check, f.file).split(/[\\/]/)[0], f.diagnostics.length]),
  );
  rmSync(check, { recursive: true, force: true });
  if (NOT_TRUSS.some((_, i) => found.has(`n${i}`))) throw new Error('workspace: a non-Truss file is taken for Truss');
  const verdict = all.map((s, i) => ({
    text: s.text,
    truss: found.has(`s${i}`),
    problems: (found.get(`s${i}`) ?? 0) > 0,
    plantable: (found.get(`p${i}`) ?? 0) > (found.get(`s${i}`) ?? 0),
  }));
  const typingVerdict = verdict.pop();
  if (!typingVerdict.truss) throw new Error('workspace: the typing subject is not a Truss config');
  const truss = verdict.filter((v) => v.truss);
  const plantable = truss.filter((v) => v.plantable);
  if (!plantable.length) throw new Error('workspace: no source config takes the planted problem');

  // 2. The workspace.
  const dir = join(root, 'workspace');
  const configs = [];
  const ignored = new Set(); // URIs that must get no diagnostics
  const expected = { configs: 0, withProblems: 0 };
  let otherYaml = 0;
  const perTeam = 10;
  const perOrg = 25 * perTeam;
  for (let i = 0; i < count; i++) {
    const model = join(dir, `org-${pad(Math.floor(i / perOrg))}`, `team-${pad(Math.floor(i / perTeam) % 25)}`);
    // One config in seven lies deeper, in model-N/deploy/prod/.
    const folder = i % 7 === 3 ? join(model, `model-${pad(i)}`, 'deploy', 'prod') : join(model, `model-${pad(i)}`);
    const plant = i % 4 === 1 || i >= count - 5;
    const source = plant ? plantable[i % plantable.length] : truss[i % truss.length];
    const file = join(folder, 'config.yaml');
    write(file, plant ? planted(source.text) : source.text);
    const uri = pathToFileURL(file).href;
    configs.push({ uri, planted: plant });
    expected.configs++;
    if (plant || source.problems) expected.withProblems++;
    if (i % 3 === 0) {
      write(join(folder, 'data', 'params.yaml'), `learning_rate: 0.001\nbatch_size: ${8 + (i % 5)}\n`);
      otherYaml++;
    }
    if (i % 20 === 10) {
      const k = i / 10;
      const other = join(model, `tools-${pad(i)}`, 'config.yaml');
      write(other, NOT_TRUSS[k % NOT_TRUSS.length]);
      ignored.add(pathToFileURL(other).href);
    }
  }
  // Dependencies and virtual environments: Truss configs with a problem, which must be skipped.
  const skipped = Math.max(10, Math.round(count / 40));
  const first = plantable[0].text;
  for (let k = 0; k < skipped; k++) {
    const file =
      k % 5 === 4
        ? join(dir, 'org-0000', '.venv', 'lib', 'python3.11', 'site-packages', `pkg${k}`, 'config.yaml')
        : join(dir, 'org-0000', 'webapp', 'node_modules', `pkg-${k}`, 'conf', 'config.yaml');
    write(file, planted(first));
    ignored.add(pathToFileURL(file).href);
  }
  const typingFile = join(dir, 'org-0000', 'team-0000', 'typing', 'config.yaml');
  write(typingFile, typing.text);
  expected.configs++;
  if (typingVerdict.problems) expected.withProblems++;
  return {
    dir,
    uri: pathToFileURL(dir).href,
    configs,
    planted: new Set(configs.filter((c) => c.planted).map((c) => c.uri)),
    ignored,
    expected,
    typing: { ...typing, uri: pathToFileURL(typingFile).href },
    layout: {
      trussConfigs: count + 1,
      planted: configs.filter((c) => c.planted).length,
      distinctSources: truss.length,
      notTruss: [...ignored].filter((u) => !/node_modules|\.venv/.test(u)).length,
      skippedFolders: skipped,
      otherYaml,
    },
  };
}

/**
 * Follows a server's diagnostics during a scan: `done` resolves with the time the last planted config
 * got its (non-empty) diagnostics; files that must be skipped are counted if they get any.
 */
function follow(server, ws, timeoutMs) {
  const seen = new Set();
  const state = { published: new Set(), unexpected: new Set(), doneAt: undefined };
  let resolve;
  const done = new Promise((r) => (resolve = r));
  const stop = server.onPublish((p) => {
    state.published.add(p.uri);
    if (ws.ignored.has(p.uri) && p.diagnostics.length) state.unexpected.add(p.uri);
    if (ws.planted.has(p.uri) && p.diagnostics.length && !seen.has(p.uri)) {
      seen.add(p.uri);
      if (seen.size === ws.planted.size) {
        state.doneAt = p.at;
        resolve();
      }
    }
  });
  const timer = setTimeout(() => resolve(), timeoutMs);
  state.done = done.finally(() => {
    clearTimeout(timer);
    stop();
    if (state.doneAt === undefined) {
      throw new Error(
        `workspace scan: ${seen.size} of ${ws.planted.size} configs with a planted problem got diagnostics ` +
          `within ${timeoutMs / 1000} s`,
      );
    }
  });
  return state;
}

/** Samples the server's RSS every 50 ms; `stop()` returns the highest sample. */
function rssSampler(server) {
  let peak = 0;
  const timer = setInterval(() => {
    const m = server.memory();
    if (m?.rss > peak) peak = m.rss;
  }, 50);
  return () => {
    clearInterval(timer);
    return peak || undefined;
  };
}

/**
 * The scan alone: spawn → initialize with the workspace folder → the last planted config's diagnostics.
 * Then the server's RSS now and its peak (VmHWM), and a second scan by request, which answers counts.
 */
export async function measureScan(start, ws, timeoutMs) {
  const server = start();
  try {
    const state = follow(server, ws, timeoutMs);
    const sampled = rssSampler(server);
    await server.initialize(20000, { workspaceFolders: [ws.uri] });
    const initializedAt = performance.now();
    await state.done;
    const end = server.memory();
    const sampledPeak = sampled();
    const rescan = await server.request(CHECK_WORKSPACE, {}, timeoutMs);
    const afterRescan = server.memory();
    return {
      ms: state.doneAt - server.spawnedAt,
      fromInitializedMs: state.doneAt - initializedAt,
      rssEnd: end?.rss,
      rssPeak: end?.peak,
      rssPeakSampled: sampledPeak,
      published: state.published.size,
      unexpected: [...state.unexpected],
      rescan: { ms: rescan.ms, ...rescan.result, rssPeak: afterRescan?.peak },
    };
  } finally {
    await server.stop();
  }
}

const TYPED = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(4);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Typing during the scan: as soon as the server is initialized, opens the typing config and, until
 * the scan is done, requests completion at each position in turn and sends a one-character edit
 * after every round (waiting for its diagnostics). Only what was sent before the scan ended counts.
 * Then the same completions once the scan is over, for comparison.
 */
export async function measureTyping(start, ws, positions, timeoutMs, idleReps = 20) {
  const server = start();
  const { uri, text, editLine } = ws.typing;
  const lines = text.split('\n');
  const edited = (i) => {
    const copy = [...lines];
    copy[editLine] = lines[editLine] + TYPED.slice(0, (i % TYPED.length) + 1);
    return copy.join('\n');
  };
  const completion = (p) =>
    server.request(
      'textDocument/completion',
      { textDocument: { uri }, position: { line: p.line, character: p.character } },
      30000,
    );
  try {
    const state = follow(server, ws, timeoutMs);
    let scanning = true;
    state.done.then(
      () => (scanning = false),
      () => (scanning = false),
    );
    await server.initialize(20000, { workspaceFolders: [ws.uri] });
    const during = { completion: [], edit: [] };
    let version = 1;
    await server.open(uri, text, version, 30000);
    while (scanning) {
      for (const p of positions) {
        if (!scanning) break;
        const r = await completion(p);
        if (scanning) during.completion.push(r.ms);
      }
      if (!scanning) break;
      const e = await server.change(uri, edited(version), ++version, 30000);
      if (scanning) during.edit.push(e.ms);
      await sleep(10);
    }
    await state.done;
    const idle = [];
    for (let rep = 0; rep < idleReps; rep++) for (const p of positions) idle.push((await completion(p)).ms);
    return {
      scanMs: state.doneAt - server.spawnedAt,
      completion: summary(during.completion),
      completionP95: percentile(during.completion, 0.95),
      edit: summary(during.edit),
      editP95: percentile(during.edit, 0.95),
      idleCompletion: summary(idle),
    };
  } finally {
    await server.stop();
  }
}
