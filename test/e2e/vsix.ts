// The packaged artifact: `npm run package` builds <name>-<version>.vsix; the test checks its size and
// contents, installs it with `code-server --install-extension` into an empty extensions folder, and runs
// suite/installed.test.ts in a VS Code that has only that copy. With E2E_DESKTOP=1 the same runs in
// a downloaded desktop VS Code. Prints `vsix: N passed, N failed` last.
import { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath } from '@vscode/test-electron';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { OUT, ROOT, codeServerPath, copyWorkspace, report, seconds, tempDir } from './editor';
import { desktopVersion, runSuite } from './launch';

const MAX_BYTES = 1024 * 1024;
/** What the .vsix may hold: vsce's two metadata files, and under extension/ only these. */
const ALLOWED = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/package\.json$/,
  /^extension\/(readme|changelog)\.md$/i,
  /^extension\/license(\.txt|\.md)?$/i,
  /^extension\/dist\/(extension|server|language-server)\.js$/,
  /^extension\/schemas\/[^/]+\.json$/,
  /^extension\/images\/icon\.png$/,
];
const REQUIRED = [
  'extension/package.json',
  'extension/dist/extension.js',
  'extension/dist/server.js',
  'extension/dist/language-server.js',
  'extension/images/icon.png',
];

/** The names in a zip file, read from its central directory. */
export function zipEntries(zip: Buffer): string[] {
  let end = zip.length - 22; // the end-of-central-directory record, before an optional comment
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error('not a zip file');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central directory entry');
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
}

async function main(): Promise<{ passed: number; failed: number }> {
  const desktop = process.env.E2E_DESKTOP === '1';
  let passed = 0;
  let failed = 0;
  const check = (name: string, ok: boolean, detail = ''): boolean => {
    if (ok) passed++;
    else failed++;
    console.log(`  ${ok ? '✔' : '✖'} ${name}${detail ? `: ${detail}` : ''}`);
    return ok;
  };

  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
    publisher: string;
  };
  const vsix = join(ROOT, `${pkg.name}-${pkg.version}.vsix`);

  // 1. Package, offline, the way a release does.
  let started = Date.now();
  rmSync(vsix, { force: true });
  const packaged = spawnSync('npm', ['run', 'package'], { cwd: ROOT, encoding: 'utf8' });
  if (
    !check(
      `npm run package builds ${relative(ROOT, vsix)} (${seconds(started)})`,
      packaged.status === 0 && existsSync(vsix),
    )
  ) {
    console.log(packaged.stdout + packaged.stderr);
    return { passed, failed };
  }
  const warnings = (packaged.stdout + packaged.stderr).split('\n').filter((l) => /\bWARN/i.test(l));
  check('vsce prints no warning', warnings.length === 0, warnings.join(' | '));
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  const listing = ['icon', 'galleryBanner', 'categories', 'keywords', 'repository', 'bugs', 'homepage', 'license'];
  const absent = listing.filter((k) => manifest[k] === undefined);
  check('the manifest has what the Marketplace and Open VSX show', absent.length === 0, absent.join(', '));
  const size = statSync(vsix).size;
  check('the .vsix is at most 1 MB', size <= MAX_BYTES, `${(size / 1024).toFixed(0)} KB`);
  const entries = zipEntries(readFileSync(vsix));
  const extra = entries.filter((e) => !ALLOWED.some((re) => re.test(e)));
  const missing = REQUIRED.filter((r) => !entries.includes(r));
  check(
    'it holds only dist/, schemas/, README, LICENSE, CHANGELOG, the icon and package.json',
    extra.length === 0 && missing.length === 0,
    [
      extra.length ? `unexpected ${extra.join(', ')}` : '',
      missing.length ? `missing ${missing.join(', ')}` : '',
      `${entries.length} files`,
    ]
      .filter(Boolean)
      .join('; '),
  );

  // 2. Install it into an empty extensions folder.
  started = Date.now();
  const profile = tempDir('vsix');
  const extensionsDir = join(profile, 'extensions');
  let desktopExecutable: string | undefined;
  let install;
  if (desktop) {
    desktopExecutable = await downloadAndUnzipVSCode(desktopVersion());
    const [cli] = resolveCliArgsFromVSCodeExecutablePath(desktopExecutable, { reuseMachineInstall: true });
    install = spawnSync(
      cli,
      [
        `--extensions-dir=${extensionsDir}`,
        `--user-data-dir=${join(profile, 'user-data')}`,
        '--install-extension',
        vsix,
      ],
      {
        encoding: 'utf8',
      },
    );
  } else {
    const config = join(profile, 'code-server.yaml');
    writeFileSync(config, 'auth: none\ncert: false\n');
    install = spawnSync(
      codeServerPath(),
      [
        '--config',
        config,
        '--user-data-dir',
        join(profile, 'user-data'),
        '--extensions-dir',
        extensionsDir,
        '--install-extension',
        vsix,
      ],
      { encoding: 'utf8' },
    );
  }
  const installedDir = join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  const installed = check(
    `--install-extension installs it (${seconds(started)})`,
    install.status === 0 && existsSync(join(installedDir, 'package.json')),
    install.status === 0
      ? ''
      : `exit ${install.status}: ${(install.stdout + install.stderr).trim().split('\n').slice(-5).join(' | ')}`,
  );
  if (installed) {
    const stray = files(installedDir)
      .map((f) => relative(installedDir, f))
      .filter(
        (f) => /^(out|test|server|client|node_modules|scripts)\//.test(f) || f.endsWith('.ts') || f.endsWith('.map'),
      );
    check('the installed copy has no sources, tests or source maps', stray.length === 0, stray.slice(0, 5).join(', '));

    // 3. A VS Code with only the installed copy: it activates and diagnoses a config.
    const workspace = copyWorkspace();
    try {
      const suite = await runSuite({
        label: 'vsix',
        result: 'e2e-vsix',
        testsPath: join(OUT, 'suite', 'vsix-index.js'),
        developmentPath: join(ROOT, 'test', 'e2e', 'probe'),
        workspace,
        extensionsDir,
        desktop,
        executable: desktopExecutable,
      });
      passed += suite.passed;
      failed += suite.failed;
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  }
  rmSync(profile, { recursive: true, force: true });
  return { passed, failed };
}

const started = Date.now();
report('vsix', main, () => `took ${seconds(started)}`);
