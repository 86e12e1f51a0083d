// @ts-check
// npm run release: tags the current commit of main as v<version> with the GitHub Action's and the
// pre-commit hook's bundles. The bundles (action/index.js, hook/truss-config.js) are on no branch: the
// tag points at a commit, made here on top of the current one, that adds them; main stays as it was.
// Checks first that package.json's version has its dated CHANGELOG heading (`## <version> (YYYY-MM-DD)`)
// and that the work tree is clean. See RELEASING.md.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** @param {string[]} args */
const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
/** @param {string} message */
const fail = (message) => {
  console.error(`release: ${message}`);
  process.exit(1);
};

const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const tag = `v${version}`;
const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');
const heading = new RegExp(`^## ${version.replace(/\./g, '\\.')} \\(\\d{4}-\\d{2}-\\d{2}\\)$`, 'm');
if (!heading.test(changelog)) fail(`CHANGELOG.md has no heading "## ${version} (YYYY-MM-DD)"`);
if (git('status', '--porcelain', '--untracked-files=no')) fail('the work tree has uncommitted changes');
if (git('tag', '--list', tag)) fail(`the tag ${tag} exists already`);

const head = git('rev-parse', 'HEAD');
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--action'], { cwd: root, stdio: 'inherit' });
// The release commit: HEAD's tree plus the bundle, made without moving any branch.
const index = join(root, '.git', 'release-index');
const env = { ...process.env, GIT_INDEX_FILE: index };
execFileSync('git', ['read-tree', head], { cwd: root, env });
execFileSync('git', ['add', '-f', 'action/index.js', 'hook/truss-config.js'], { cwd: root, env });
const tree = execFileSync('git', ['write-tree'], { cwd: root, env, encoding: 'utf8' }).trim();
rmSync(index, { force: true });
const commit = git(
  'commit-tree',
  tree,
  '-p',
  head,
  '-m',
  `Release ${tag}\n\nThe GitHub Action's and the pre-commit hook's bundles, built from ${head}.`,
);
git('tag', '-a', tag, commit, '-m', `truss-config ${version}`);
console.log(`tagged ${tag} (${commit.slice(0, 12)}), main unchanged; push it with: git push origin ${tag}`);
