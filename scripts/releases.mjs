// @ts-check
// npm run releases: compiles the facts of every truss release we know (from
// ../shared/reference/truss-versions: releases.tsv, since.tsv, and the checks of each release's model
// read by scripts/release-facts.py) into server/src/core/truss/releases.ts, compact data the core judges
// by. With --check it writes nothing and exits 1 when that file is stale.
// test/core/releases.test.ts checks it too (skipped without ../shared).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A string as Prettier writes it. @param {string} s */
const q = (s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
export const RELEASES_FILE = 'server/src/core/truss/releases.ts';

/**
 * Checks found by the error they raise, in the source of each release's model: `raised:<id>` holds where
 * a `raise` of that message is there.
 */
const RAISED = [
  // `base_model: llama` (and palmyra, qwen, mistral, deepseek) refused from truss 0.12.1.
  { id: 'trt-llm-base-model-renamed', file: 'truss/base/trt_llm_config.py', text: 'has been renamed to `decoder`' },
  // `speculative_decoding_mode: DRAFT_TOKENS_EXTERNAL` refused from truss 0.10.9.
  {
    id: 'trt-llm-external-draft-discontinued',
    file: 'truss/base/trt_llm_config.py',
    text: 'external draft speculation is discontinued',
  },
  // `trt_llm` with neither `build` nor `serve` refused until truss 0.9.53.
  { id: 'trt-llm-serve-or-build', file: 'truss/base/trt_llm_config.py', text: 'Either serve or build configurations' },
  // A newline in `docker_server.start_command` refused by truss 0.12.1 only.
  {
    id: 'docker-server-newline',
    file: 'truss/base/truss_config.py',
    text: 'docker_server.start_command must not contain newlines',
  },
];

/**
 * Whether a source file raises an error whose message starts with `text` (a `raise` a few lines above it).
 * @param {string} file
 * @param {string} text
 */
function raises(file, text) {
  if (!existsSync(file)) return false;
  const lines = readFileSync(file, 'utf8').split('\n');
  return lines.some(
    (l, i) => l.includes(text) && lines.slice(Math.max(0, i - 3), i + 1).some((x) => /\braise\b/.test(x)),
  );
}

/**
 * The checks of each release's model (scripts/release-facts.py), as runs of release indexes per item:
 * `required:<path>`, `open:<path>`, `typed:`, `typed:<key>`, `kinds:<path>=<kind,…>` and `raised:<id>`.
 * @param {string} folder
 * @param {Array<{ model: string }>} releases
 * @param {string} root the project's folder
 * @returns {Map<string, Array<[number, number]>>}
 */
function checksOf(folder, releases, root) {
  const models = [...new Set(releases.map((r) => r.model))];
  const script = join(root, 'scripts', 'release-facts.py');
  const run = spawnSync('python3', [script, join(folder, 'models'), ...models], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (run.status !== 0) throw new Error(`release-facts.py failed: ${run.error ?? run.stderr}`);
  /**
   * @type {Record<string, {
   *   pydantic: boolean, typed: string[], required: string[], open: string[], kinds: Record<string, string[]>
   * }>}
   */
  const facts = JSON.parse(run.stdout);
  /** @type {Map<string, Array<[number, number]>>} */
  const runs = new Map();
  releases.forEach((r, i) => {
    const f = facts[r.model];
    const items = [
      ...(f.pydantic ? ['typed:'] : f.typed.map((k) => `typed:${k}`)),
      ...f.required.map((p) => `required:${p}`),
      ...f.open.map((p) => `open:${p}`),
      ...Object.entries(f.kinds).map(([p, k]) => `kinds:${p}=${k.join(',')}`),
      ...RAISED.filter((c) => raises(join(folder, 'models', r.model, c.file), c.text)).map((c) => `raised:${c.id}`),
    ];
    for (const item of items) {
      const spans = runs.get(item) ?? [];
      const last = spans[spans.length - 1];
      if (last && last[1] === i - 1) last[1] = i;
      else spans.push([i, i]);
      runs.set(item, spans);
    }
  });
  return runs;
}

/**
 * The content of releases.ts from the folder of truss's releases.
 * @param {string} folder ../shared/reference/truss-versions
 * @param {string} root the project's folder (scripts/release-facts.py reads each release's model)
 * @returns {string}
 */
export function releasesSource(folder, root) {
  const rows = (/** @type {string} */ f) =>
    readFileSync(join(folder, f), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split('\t'));
  const releases = rows('releases.tsv').map(([tag, date, , model, check]) => ({ tag, date, model, check }));
  const index = new Map(releases.map((r, i) => [r.tag, i]));
  const at = (/** @type {string} */ tag) => {
    const i = index.get(tag);
    if (i === undefined) throw new Error(`since.tsv names ${tag}, which releases.tsv does not list`);
    return i;
  };
  const pushCheck = releases.findIndex((r) => r.check !== 'none');
  const items = rows('since.tsv')
    .map(([item, first, last]) => `  ${q(item)}: [${at(first)}${last === '-' ? '' : `, ${at(last)}`}],`)
    .sort();
  const last = releases.length - 1;
  const checks = [...checksOf(folder, releases, root)]
    .map(
      ([item, spans]) =>
        `  ${q(item)}: [${spans.map(([a, b]) => (b === last ? `[${a}]` : `[${a}, ${b}]`)).join(', ')}],`,
    )
    .sort();
  return [
    "// Generated by `npm run releases` from truss's config model at each release: do not edit.",
    '',
    '/** Every truss release we know, oldest first, with its date. */',
    'export const RELEASES: ReadonlyArray<readonly [version: string, date: string]> = [',
    ...releases.map((r) => `  [${q(r.tag.replace(/^v/, ''))}, ${q(r.date)}],`),
    '];',
    '',
    '/** The first release whose `truss push` refuses unknown keys (`validate_forbid_extra`). */',
    `export const PUSH_CHECK_FROM = ${pushCheck};`,
    '',
    '/**',
    ' * What each release knows: a key path (`key:a.b[].c`), an enum value (`enum:Accelerator=L40S`), a literal',
    ' * (`literal:runtime.transport.kind=grpc`), a python version (`python:py38`) or a weights URL scheme',
    ' * (`scheme:hf://`), with the index in RELEASES of the first release that knows it and, when a later one',
    ' * dropped it, of the last.',
    ' */',
    'export const KNOWN: Readonly<Record<string, readonly [first: number, last?: number]>> = {',
    ...items,
    '};',
    '',
    '/**',
    " * What each release's model checks, read from the model itself: `required:<path>` a key that must be",
    ' * written when its mapping is, `open:<path>` a mapping whose model lets a key it does not know through',
    ' * `truss push`, `typed:` a release whose `TrussConfig` checks the types and required keys of its fields,',
    ' * `typed:<key>` a top-level key whose pydantic model checked them before that (the dataclass era),',
    ' * `raised:<id>` a check found by the error it raises. Each with the runs of indexes in RELEASES where it',
    ' * holds; a run with one index goes on to the newest.',
    ' */',
    'export const CHECKS: Readonly<Record<string, ReadonlyArray<readonly [first: number, last?: number]>>> = {',
    ...checks,
    '};',
    '',
  ].join('\n');
}

// Run as a script (a test bundles this file as a module, where import.meta is empty).
const self = typeof import.meta.url === 'string' ? fileURLToPath(import.meta.url) : undefined;
if (self && process.argv[1] && resolve(process.argv[1]) === self) {
  const root = resolve(dirname(self), '..');
  const folder = join(root, '..', 'shared', 'reference', 'truss-versions');
  const text = releasesSource(folder, root);
  const file = join(root, RELEASES_FILE);
  const old = readFileSync(file, { encoding: 'utf8', flag: 'a+' });
  if (process.argv.includes('--check')) {
    if (old !== text) {
      console.error(`${RELEASES_FILE} is stale: run npm run releases`);
      process.exit(1);
    }
  } else if (old !== text) writeFileSync(file, text);
  console.log(`${RELEASES_FILE}: ${text === old ? 'up to date' : 'written'}`);
}
