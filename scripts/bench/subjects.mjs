// @ts-check
// The configs the benchmark types into and opens: three real ones (from the corpus, else the repository's
// examples), synthetic ones of 100, 1,000 and 10,000 lines, and the corpus as a whole.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { syntheticConfig } from './synth.mjs';
/** @import { Inputs } from './context.mjs' */

/**
 * A config an edit series types into, at the end of the value on `editLine`; the other kinds of edit
 * (edit-kinds.mjs) are made at `blockLine`.
 * @typedef {object} Subject
 * @property {string} label
 * @property {string} file
 * @property {string} uri
 * @property {string} text
 * @property {number} editLine
 * @property {number} blockLine a `key: value` line inside a block mapping below the root
 * @property {number} [lines] a synthetic config's number of lines
 */

export const SIZES = [100, 1000, 10000];

/**
 * The corpus's configs: those truss gave a verdict on, else every YAML file in it.
 * @param {Inputs} inputs
 * @returns {string[]}
 */
export function corpusFiles({ corpusDir }) {
  const verdicts = join(corpusDir, 'truss-verdicts.jsonl');
  if (existsSync(verdicts)) {
    return readFileSync(verdicts, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => join(corpusDir, /** @type {{ file: string }} */ (JSON.parse(l)).file))
      .filter((f) => existsSync(f));
  }
  /** @type {string[]} */
  const out = [];
  /** @param {string} dir */
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

/**
 * Three real configs: one with docker_auth and secrets, a long generated one, a commented one.
 * @param {Inputs} inputs
 * @returns {Subject[]}
 */
export function realConfigs(inputs) {
  const { haveCorpus, corpusDir, repoRoot } = inputs;
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
    files = corpusFiles(inputs)
      .map((f) => ({ f, n: readFileSync(f, 'utf8').split('\n').length }))
      .sort((a, b) => b.n - a.n)
      .slice(0, 3)
      .map((x) => x.f);
  }
  return files
    .map((file) => realConfig(file, haveCorpus))
    .map((c, i, all) => (all.findIndex((o) => o.label === c.label) < i ? { ...c, label: `${c.label} #${i + 1}` } : c));
}

/**
 * @param {string} file
 * @param {boolean} fromCorpus
 * @returns {Subject}
 */
function realConfig(file, fromCorpus) {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  let editLine = lines.findIndex((l) => /^model_name:\s*\S/.test(l));
  if (editLine < 0) editLine = lines.findIndex((l) => /^\s*[\w.-]+:\s+[\w"'/.-]/.test(l) && !/#/.test(l));
  // corpus: owner__repo__…__NAME__config.yaml → NAME; examples/NAME/config.yaml → NAME
  const short = fromCorpus
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
    blockLine: blockLine(lines),
    uri: pathToFileURL(file).href,
  };
}

/**
 * A `key: value` line inside a block mapping below the root, where a new key is valid: the last
 * environment variable when they are a block mapping, else the first such line.
 * @param {string[]} lines
 */
function blockLine(lines) {
  const entry = (/** @type {string} */ l) => /^\s+[\w.-]+:\s+\S/.test(l);
  const env = lines.findIndex((l) => /^environment_variables:\s*$/.test(l));
  let last = -1;
  for (let i = env + 1; env >= 0 && i < lines.length && /^(\s|$)/.test(lines[i]); i++) {
    if (entry(lines[i]) && (last < 0 || /^\s*/.exec(lines[i])?.[0] === /^\s*/.exec(lines[last])?.[0])) last = i;
  }
  return Math.max(0, last >= 0 ? last : lines.findIndex(entry));
}

/**
 * The synthetic configs of SIZES lines, written into `tmp`.
 * @param {string} tmp
 * @returns {Subject[]}
 */
export function syntheticConfigs(tmp) {
  return SIZES.map((n) => {
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
      blockLine: editLine,
      uri: pathToFileURL(file).href,
    };
  });
}
