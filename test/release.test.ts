/** `npm run release` (RELEASING.md) in a clone: the tag carries the Action's bundle, main does not. */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from './ruleFiles';

describe('release (scripts/release.mjs)', () => {
  it("package.json's version is the CHANGELOG's first heading, dated, and the README pins its tag", () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const changelog = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8');
    const first = /^## (.*)$/m.exec(changelog)?.[1];
    assert.match(first ?? '', /^\S+ \(\d{4}-\d{2}-\d{2}\)$|^Unreleased$/, 'a dated version, or Unreleased above it');
    assert.match(changelog, new RegExp(`^## ${version.replace(/\./g, '\\.')} \\(\\d{4}-\\d{2}-\\d{2}\\)$`, 'm'));
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const pins = [...readme.matchAll(/rev: (v\S+)|truss-config\/truss-config@(v\S+)/g)].map((m) => m[1] ?? m[2]);
    assert.ok(pins.length >= 2, pins.join(', '));
    assert.deepEqual([...new Set(pins)], [`v${version}`]);
  });

  it('tags a commit that adds action/index.js on top of main, and refuses an undated version', (t) => {
    if (spawnSync('git', ['rev-parse'], { cwd: ROOT }).status !== 0) return t.skip('not a git checkout');
    const dir = mkdtempSync(join(tmpdir(), 'truss-release-'));
    try {
      const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
      git('clone', '-q', '--no-hardlinks', ROOT, '.');
      git('config', 'user.email', 'test@example.com');
      git('config', 'user.name', 'test');
      symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
      const release = () => spawnSync(process.execPath, ['scripts/release.mjs'], { cwd: dir, encoding: 'utf8' });

      const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
      writeFileSync(join(dir, 'CHANGELOG.md'), `# Changelog\n\n## Unreleased\n\n- x\n`);
      git('commit', '-qam', 'undated');
      const refused = release();
      assert.equal(refused.status, 1);
      assert.match(refused.stderr, /no heading/);

      writeFileSync(join(dir, 'CHANGELOG.md'), `# Changelog\n\n## ${version} (2026-12-07)\n\n- x\n`);
      git('commit', '-qam', 'dated');
      const main = git('rev-parse', 'HEAD');
      const r = release();
      assert.equal(r.status, 0, r.stderr);
      assert.equal(git('rev-parse', 'HEAD'), main, 'main did not move');
      assert.equal(git('rev-parse', `v${version}^{commit}~1`), main, 'the release commit sits on main');
      assert.equal(git('ls-tree', '--name-only', main, 'action/index.js'), '');
      assert.ok(git('show', `v${version}:action/index.js`).length > 10_000);
      // The hook's bundle, run by pre-commit as a program (language: script).
      assert.equal(git('ls-tree', '--name-only', main, 'hook/truss-config.js'), '');
      assert.match(git('ls-tree', `v${version}`, 'hook/truss-config.js'), /^100755 blob /);
      assert.match(git('show', `v${version}:hook/truss-config.js`), /^#!\/usr\/bin\/env node\n/);
      assert.equal(git('status', '--porcelain', '--untracked-files=no'), '');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
