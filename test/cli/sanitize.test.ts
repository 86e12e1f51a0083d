/**
 * Text from a file never reaches a terminal or a CI log unescaped (cli/sanitize.ts). Hostile strings
 * (line breaks, CR, ESC sequences, NUL, U+2028, U+0085, workflow commands, `%0A`) are fed to every
 * formatter through key names (which messages quote), file names, arguments and the names stderr
 * notes repeat; no raw control character and no line a GitHub runner reads as a command may come out.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyze } from '../../server/src/engine/analyze';
import { toGithub, toJson, toSarif, toText } from '../../server/src/cli/formats';
import { runAction } from '../../server/src/cli/action';
import { main } from '../../server/src/cli/main';
import { printable, safeJson, safeLines } from '../../server/src/cli/sanitize';
import { ROOT } from '../ruleFiles';

const CLI = join(ROOT, 'dist', 'cli.js');

/** Each a way to forge a line, drive a terminal or start a workflow command. */
export const HOSTILE = [
  'a\nb',
  'c\rd',
  'e\x1b[31mf',
  'g\0h',
  'i\u2028j',
  'k\u0085l',
  '::error::x',
  '  ::warning::x',
  '##[group]y',
  '%0Az',
  'm\u202en',
  'o\x9b2Jp',
];

/** A string as a YAML double-quoted scalar, every character outside printable ASCII escaped. */
function yamlQuoted(s: string): string {
  return `"${s.replace(/[^\x20-\x7e]|["\\]/g, (c) => {
    if (c === '"' || c === '\\') return `\\${c}`;
    const n = c.charCodeAt(0);
    return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  })}"`;
}

/** A Truss config whose findings quote each hostile string: unknown keys and a missing secret's name. */
function hostileConfig(): string {
  return [
    'model_name: m',
    'python_version: py311',
    'base_image:',
    '  image: gcr.io/p/i:1',
    '  docker_auth:',
    '    auth_method: GCP_SERVICE_ACCOUNT_JSON',
    '    registry: gcr.io',
    `    secret_name: ${yamlQuoted(HOSTILE.join(''))}`,
    ...HOSTILE.map((h, i) => `    ${yamlQuoted(`k${i}${h}`)}: 1`),
    '',
  ].join('\n');
}

/** Raw characters that act on a terminal or a log: C0 but LF, DEL, C1, separators, bidi controls. */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const RAW = /[\0-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;
/** An annotation of ours: the only lines that may start a workflow command. */
const OWN =
  /^::(?:error|warning|notice) (?:file=[^,:\r\n]*,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,)?title=truss-config(?: [a-z0-9-]+)?::(.*)$/;

/** The problems of a text printed to stdout or stderr; `annotations` when our own may be there. */
function unsafe(where: string, text: string, annotations = false): string[] {
  const out: string[] = [];
  const raw = RAW.exec(text);
  if (raw) out.push(`${where}: raw U+${raw[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${raw.index}`);
  // The runner splits its input at LF, CR and CRLF.
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line.includes('##[')) out.push(`${where}: a v1 command: ${JSON.stringify(line)}`);
    if (!/^\s*::/.test(line)) continue;
    const own = annotations ? OWN.exec(line) : null;
    if (!own) out.push(`${where}: a workflow command: ${JSON.stringify(line)}`);
    // What the runner unescapes from an annotation's message must not hold a control character either.
    else if (RAW.test(own[1].replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%').replace(/\n/g, '')))
      out.push(`${where}: a control character in an annotation: ${JSON.stringify(line)}`);
  }
  return out;
}

/**
 * The problems of what the Action wrote, as the runner reads it: between `::stop-commands::<token>` and
 * `::<token>::` no line acts, elsewhere only our annotations may; every line is safe either way.
 */
function actionUnsafe(where: string, text: string, tokens: string[]): string[] {
  const out: string[] = [];
  let stopped = '';
  for (const line of text.split(/\r\n|\r|\n/)) {
    const stop = /^::stop-commands::([0-9a-f]{32})$/.exec(line);
    if (!stopped && stop) {
      stopped = stop[1];
      tokens.push(stopped);
    } else if (stopped && line === `::${stopped}::`) stopped = '';
    else out.push(...unsafe(`${where}${stopped ? ' (stopped)' : ''}`, line, !stopped));
  }
  if (stopped) out.push(`${where}: commands left stopped`);
  return out;
}

describe('nothing from a file reaches a terminal or a CI log unescaped', () => {
  let tmp: string;
  /** A workspace: a folder per hostile name (all but NUL, which no file name holds), each with a config. */
  let ws: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'truss-sanitize-'));
    ws = join(tmp, 'ws');
    for (const h of HOSTILE.filter((x) => !x.includes('\0'))) {
      mkdirSync(join(ws, `d${h}`), { recursive: true });
      writeFileSync(join(ws, `d${h}`, 'config.yaml'), hostileConfig());
    }
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('printable escapes each hostile string, safeLines leaves no command, and both are idempotent', () => {
    for (const h of HOSTILE) {
      const p = printable(h);
      assert.deepEqual(unsafe(JSON.stringify(h), `x${p}`), [], 'printable inside a line');
      assert.deepEqual(unsafe(JSON.stringify(h), safeLines(h)), [], 'safeLines');
      assert.equal(printable(p), p);
      assert.equal(safeLines(safeLines(h)), safeLines(h));
    }
    assert.equal(printable('a\nb\rc\x1b[31md\0e\u2028f\u0085g\tz'), 'a\\nb\\rc\\x1b[31md\\0e\\u2028f\\x85g\\tz');
    assert.equal(printable('##[group]x'), '#\\x23[group]x');
    assert.equal(safeLines('  ::warning::x\n::error::y\nok: ::z'), '  \\x3a:warning::x\n\\x3a:error::y\nok: ::z');
    const json = JSON.stringify({ s: HOSTILE.join('|') });
    assert.deepEqual(JSON.parse(safeJson(json)), JSON.parse(json), 'safeJson keeps the value');
    assert.deepEqual(unsafe('safeJson', safeJson(json)), []);
  });

  it('every formatter: hostile key names, messages quoting them and file names', () => {
    const a = analyze(hostileConfig());
    assert.ok(a.truss, 'a Truss config');
    assert.ok(a.findings.length > HOSTILE.length, 'the keys are reported');
    for (const h of HOSTILE) {
      assert.ok(
        a.findings.some((f) => f.message.includes(`k${HOSTILE.indexOf(h)}${h}`)),
        `a message quotes ${JSON.stringify(h)}`,
      );
    }
    const results = HOSTILE.map((h) => ({
      file: `dir${h}/config.yaml`,
      checked: true,
      findings: a.findings,
      internalErrors: [],
    }));
    const problems = [
      ...unsafe('text', toText(results)),
      ...unsafe('json', toJson(results)),
      ...unsafe('sarif', toSarif(results, '0')),
      ...unsafe('github', toGithub(results), true),
    ];
    assert.deepEqual(problems, []);
    // One line per finding and the summary: a line break in a name or a message forges no line.
    const text = toText(results).split('\n');
    assert.equal(text.length, results.length * a.findings.length + 2);
    assert.deepEqual(
      text
        .slice(0, -2)
        .filter((l) => !/^dir.*\/config\.yaml:\d+:\d+: (error|warning|information|hint) [a-z-]+ /.test(l)),
      [],
    );
    // JSON and SARIF keep the names as they are, once read.
    const files = (JSON.parse(toJson(results)) as Array<{ file: string }>).map((r) => r.file);
    assert.deepEqual(
      files,
      results.map((r) => r.file),
    );
  });

  it('the checker in every format, on hostile folder names and keys (dist/cli.js)', () => {
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const r = spawnSync(process.execPath, [CLI, '--format', format, 'ws'], { cwd: tmp, encoding: 'utf8' });
      assert.equal(r.status, 1, r.stderr);
      assert.ok(r.stdout.length > 1000, format);
      const problems = [...unsafe(`${format} stdout`, r.stdout, format === 'github'), ...unsafe('stderr', r.stderr)];
      // The text format (the pre-commit hook's output): a line per finding, then the summary.
      const forged = r.stdout.split('\n').slice(0, -2);
      if (format === 'text')
        problems.push(...forged.filter((l) => !/^ws\/d.*\/config\.yaml:\d+:\d+: \w+ [a-z-]+ /.test(l)));
      assert.deepEqual(problems, []);
    }
  });

  it('stderr notes: arguments, unreadable and ignored files, the --config file, Baseten, truss found', () => {
    const dir = join(tmp, 'notes');
    mkdirSync(dir);
    const problems: string[] = [];
    const check = (name: string, args: string[], env: NodeJS.ProcessEnv = {}) => {
      const r = spawnSync(process.execPath, [CLI, ...args], {
        cwd: dir,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: dir, ...env },
      });
      assert.ok(r.stderr.length > 0, `${name}: a note`);
      problems.push(...unsafe(`${name} stdout`, r.stdout), ...unsafe(`${name} stderr`, r.stderr));
      return r;
    };
    for (const h of HOSTILE.filter((x) => !x.includes('\0'))) {
      check('option', [`--bogus${h}`, 'x']);
      check('format', ['--format', `x${h}`, 'x']);
      check('missing file', [`missing${h}.yaml`]);
      check('missing --config', ['--config', `missing${h}.json`, '.']);
      // Not UTF-8, checked as a Truss config: "cannot read".
      writeFileSync(join(dir, `latin1${h}.yaml`), Buffer.from([0x6d, 0x3a, 0x20, 0xe9, 0x0a]));
      check('not UTF-8', ['--detect', 'always', `latin1${h}.yaml`]);
      // Named, but ignored by the project file.
      mkdirSync(join(dir, `p${h}`));
      writeFileSync(join(dir, `p${h}`, '.truss-config.yaml'), 'ignore:\n  - "**/config.yaml"\n');
      writeFileSync(join(dir, `p${h}`, 'config.yaml'), 'model_name: m\n');
      check('ignored', [join(`p${h}`, 'config.yaml')]);
      // A trussrc whose key is in the OS keyring: the note names the file and its section.
      const rc = join(dir, `trussrc${h}`);
      writeFileSync(rc, `[remote${h.replace(/[\r\n]/g, '')}]\nremote_url = https://app.baseten.co\n`);
      check('baseten', ['--baseten', `missing${h}.yaml`], { USER_TRUSSRC_PATH: rc });
      // The truss found in a .venv beside the config: the note names its folder, on one line.
      const site = join(dir, `t${h}`, '.venv', 'lib', 'python3.11', 'site-packages', 'truss-0.13.1.dist-info');
      mkdirSync(site, { recursive: true });
      writeFileSync(join(site, 'METADATA'), 'Name: truss\nVersion: 0.13.1\n');
      writeFileSync(join(dir, `t${h}`, '.venv', 'pyvenv.cfg'), 'home = /usr/bin\n');
      writeFileSync(join(dir, `t${h}`, 'config.yaml'), 'model_name: m\n');
      const found = check('truss found', [join(`t${h}`, 'config.yaml')]);
      const notes = found.stderr.split('\n').filter((l) => l.includes('judging by truss 0.13.1'));
      assert.equal(notes.length, 1, found.stderr);
      assert.match(notes[0], /\.venv\)$/, 'the folder stays on the line of its note');
    }
    assert.deepEqual(problems, []);
  });

  it('the Action: annotations, the summary line, the notes it passes on and its own errors', () => {
    const summary = join(tmp, 'summary.md');
    writeFileSync(summary, '');
    const bad = join(tmp, 'bad');
    mkdirSync(join(bad, 'x\n::error::injected'), { recursive: true });
    writeFileSync(join(bad, 'x\n::error::injected', 'config.yaml'), Buffer.from([0x6d, 0x3a, 0x20, 0xe9, 0x0a]));
    const runs: Array<[string, Record<string, string>]> = [
      ['findings', { INPUT_PATHS: ws }],
      ['unreadable', { INPUT_PATHS: join(bad, 'x\n::error::injected', 'config.yaml') }],
      ...HOSTILE.map((h): [string, Record<string, string>] => [`fail-on ${JSON.stringify(h)}`, { 'INPUT_FAIL-ON': h }]),
      ...HOSTILE.map((h): [string, Record<string, string>] => [
        `paths ${JSON.stringify(h)}`,
        { INPUT_PATHS: `missing${h.replace(/\s/g, '')}` },
      ]),
    ];
    const problems: string[] = [];
    const tokens: string[] = [];
    for (const [name, inputs] of runs) {
      let out = '';
      const env = { GITHUB_WORKSPACE: tmp, GITHUB_STEP_SUMMARY: summary, ...inputs };
      runAction(env, (s) => (out += s));
      assert.ok(out.length > 0, name);
      if (name === 'findings') assert.match(out, /^::error file=ws\/d/m, 'annotated');
      if (name === 'unreadable') assert.match(out, /^::stop-commands::[0-9a-f]{32}\ntruss-config: cannot read /m);
      problems.push(...actionUnsafe(name, out, tokens));
    }
    assert.deepEqual(problems, []);
    assert.ok(tokens.length > HOSTILE.length && new Set(tokens).size === tokens.length, 'a new token each run');
  });

  it('the Action: a failure of its own is written with commands stopped', () => {
    let out = '';
    const hostile = 'x\n  ::error::forged ##[group]y\x1b[2J';
    const env = new Proxy(
      {},
      {
        get: (_, k) => {
          if (k === 'INPUT_PATHS') throw new Error(hostile);
          return undefined;
        },
      },
    );
    assert.equal(
      runAction(env, (s) => (out += s)),
      2,
    );
    assert.match(out, /the Action failed: x\\n {2}::error::forged #\\x23\[group\]y\\x1b\[2J/);
    assert.match(out, /^::error title=truss-config::the Action failed/m);
    assert.deepEqual(actionUnsafe('failure', out, []), []);
  });

  it('main writes its stderr notes through the guard whatever the caller passes', () => {
    let err = '';
    main(
      ['--detect', 'always', `missing\n::error::x\x1b[2J.yaml`],
      () => undefined,
      (s) => (err += s),
    );
    assert.match(err, /missing\\n::error::x\\x1b\[2J\.yaml/);
    assert.deepEqual(unsafe('stderr', err), []);
  });
});
