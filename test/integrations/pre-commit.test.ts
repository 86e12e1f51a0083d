/**
 * The pre-commit hook (.pre-commit-hooks.yaml) as pre-commit installs it: `pre-commit try-repo` clones a
 * snapshot of this working tree with the hook's bundle committed, as a release's tag has it, and runs
 * it (`language: script`) with the system's node: nothing is installed. Prints how long a first run
 * takes, install and check together.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BROKEN, CLEAN, cleanEnv, copyCheckout } from '../checkout';
import { ROOT } from '../ruleFiles';
import { missing } from './tools';

/** A Hydra config.yaml: not a Truss config, so the checker skips it. */
const HYDRA = 'defaults:\n  - db: mysql\nhydra:\n  run:\n    dir: outputs\n';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd, stdio: 'pipe' });

describe('pre-commit hook (.pre-commit-hooks.yaml)', () => {
  const skip = missing('pre-commit');
  let tmp: string;
  let hooks: string;
  let project: string;
  let broken: Promise<{ code: number | null; out: string }>;
  let clean: Promise<{ code: number | null; out: string }>;
  let projectFile: Promise<{ code: number | null; out: string }>;

  before(() => {
    if (skip) return;
    tmp = mkdtempSync(join(tmpdir(), 'truss-pre-commit-'));
    // try-repo takes a repository's HEAD plus its staged and modified tracked files, but not untracked
    // ones: commit a snapshot of the working tree, so that what is tested is what is on disk.
    hooks = join(tmp, 'hooks');
    copyCheckout(hooks);
    // The bundle a release commits on its tag (scripts/release.mjs).
    execFileSync(process.execPath, ['scripts/build.mjs', '--action'], { cwd: ROOT, stdio: 'pipe' });
    mkdirSync(join(hooks, 'hook'), { recursive: true });
    copyFileSync(join(ROOT, 'hook', 'truss-config.js'), join(hooks, 'hook', 'truss-config.js'));
    git(hooks, 'init', '-q');
    git(hooks, 'add', '-A');
    git(hooks, 'add', '-f', 'hook/truss-config.js');
    git(hooks, 'commit', '-q', '-m', 'snapshot');
    project = join(tmp, 'project');
    for (const [path, text] of Object.entries({
      'bad/config.yaml': BROKEN,
      'good/config.yaml': CLEAN,
      'app/config.yaml': HYDRA,
      'good/other.yaml': BROKEN, // not named config.yaml: the hook's `files` leaves it out
      'p/.truss-config.yaml': 'rules:\n  unknown-key: off\n  unknown-key: error\n',
    })) {
      mkdirSync(join(project, path, '..'), { recursive: true });
      writeFileSync(join(project, path), text);
    }
    git(project, 'init', '-q');
    git(project, 'add', '-A');
    // The two runs at once: each spends most of its time in npm install.
    broken = tryRepo('bad/config.yaml');
    clean = tryRepo('good/config.yaml', 'app/config.yaml', 'good/other.yaml');
    projectFile = tryRepo('p/.truss-config.yaml');
  });
  after(() => tmp && rmSync(tmp, { recursive: true, force: true }));

  /** Runs `pre-commit try-repo` on some files of the project. Each run installs the hook anew. */
  const tryRepo = (...files: string[]): Promise<{ code: number | null; out: string }> =>
    new Promise((resolve) => {
      const child = spawn('pre-commit', ['try-repo', hooks, 'truss-config', '--files', ...files], {
        cwd: project,
        env: cleanEnv({
          PRE_COMMIT_HOME: join(tmp, 'pre-commit-home'),
          // The hook's npm install: from the npm cache where it can, no audit request.
          npm_config_prefer_offline: 'true',
          npm_config_audit: 'false',
          npm_config_fund: 'false',
          npm_config_update_notifier: 'false',
        }),
      });
      let out = '';
      const start = Date.now();
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      child.on('close', (code) => {
        const seconds = (Date.now() - start) / 1000;
        console.log(`pre-commit first run (install and check) on ${files.join(' ')}: ${seconds.toFixed(1)} s`);
        resolve({ code, out });
      });
    });
  it('fails on a broken config, with the code in its output', { skip, timeout: 300_000 }, async () => {
    const r = await broken;
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /^Truss config\.+Failed$/m);
    assert.match(r.out, /^bad\/config\.yaml:8:5: error unknown-key /m);
  });

  it('runs when only the project file changes, and fails on its problem', { skip, timeout: 300_000 }, async () => {
    const r = await projectFile;
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /^Truss config\.+Failed$/m);
    assert.match(r.out, /^- exit code: 2$/m);
    assert.match(r.out, /p\/\.truss-config\.yaml:2:3: Duplicate key `unknown-key` in `rules`/);
  });

  it(
    'passes a clean config, skipping a config.yaml that is not Truss and other YAML files',
    { skip, timeout: 300_000 },
    async () => {
      const r = await clean;
      assert.equal(r.code, 0, r.out);
      assert.match(r.out, /^Truss config\.+Passed$/m);
    },
  );
});
