/** Finding the user's truss (server/src/environment/truss.ts), on environments made here. */
import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { findTruss, installed, pinnedIn, shippedSchema } from '../../server/src/environment/truss';

const tmp = mkdtempSync(join(tmpdir(), 'truss-env-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A virtual environment at `prefix` with truss `version` installed (as pip leaves it). */
function venv(prefix: string, version?: string): string {
  mkdirSync(join(prefix, 'bin'), { recursive: true });
  writeFileSync(join(prefix, 'pyvenv.cfg'), 'home = /usr/bin\n');
  writeFileSync(join(prefix, 'bin', 'python3'), '');
  const site = join(prefix, 'lib', 'python3.11', 'site-packages');
  mkdirSync(site, { recursive: true });
  if (version) {
    mkdirSync(join(site, `truss-${version}.dist-info`));
    writeFileSync(
      join(site, `truss-${version}.dist-info`, 'METADATA'),
      `Metadata-Version: 2.1\nName: truss\nVersion: ${version}\n`,
    );
    mkdirSync(join(site, 'truss_chains-0.1.dist-info'));
  }
  return prefix;
}

describe("the user's truss", () => {
  const repo = join(tmp, 'repo');
  const model = join(repo, 'models', 'llama');
  mkdirSync(model, { recursive: true });

  it('reads the version from the dist-info, without running Python', () => {
    assert.equal(installed(venv(join(tmp, 'plain'), '0.13.1')), '0.13.1');
    assert.equal(installed(venv(join(tmp, 'none'))), undefined);
  });

  it('takes a .venv from the folder up to the workspace root, and stops there', () => {
    venv(join(repo, '.venv'), '0.12.0');
    assert.deepEqual(findTruss({ folder: model, root: repo }), {
      version: '0.12.0',
      source: 'venv',
      where: join(repo, '.venv'),
      python: join(repo, '.venv', 'bin', 'python3'),
      site: join(repo, '.venv', 'lib', 'python3.11', 'site-packages'),
    });
    assert.equal(findTruss({ folder: model, root: model }), undefined, 'above the root is not looked at');
  });

  it('puts a pin first, then the chosen interpreter, then the venv', () => {
    const chosen = venv(join(tmp, 'chosen'), '0.15.3');
    assert.equal(findTruss({ folder: model, root: repo, pin: 'v0.13.2' })?.version, '0.13.2');
    assert.deepEqual(findTruss({ folder: model, root: repo, python: join(chosen, 'bin', 'python3') }), {
      version: '0.15.3',
      source: 'interpreter',
      where: join(chosen, 'bin', 'python3'),
      python: join(chosen, 'bin', 'python3'),
      site: join(chosen, 'lib', 'python3.11', 'site-packages'),
    });
    assert.equal(findTruss({ folder: model, root: repo, pin: 'latest' })?.source, 'venv', 'not a version: ignored');
  });

  it('follows `truss` on PATH to its interpreter', () => {
    const env = venv(join(tmp, 'pathenv'), '0.18.26');
    const bin = join(tmp, 'localbin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'truss'), `#!${join(env, 'bin', 'python3')}\nimport truss\n`);
    chmodSync(join(bin, 'truss'), 0o755);
    const other = join(tmp, 'other');
    mkdirSync(other);
    const found = findTruss({ folder: other, root: other, path: [join(tmp, 'nothing'), bin].join(delimiter) });
    assert.deepEqual(found, {
      version: '0.18.26',
      source: 'path',
      where: join(bin, 'truss'),
      python: join(env, 'bin', 'python3'),
      site: join(env, 'lib', 'python3.11', 'site-packages'),
    });
  });

  it('reads the schema the installed truss ships, and nothing when there is none', () => {
    const env = venv(join(tmp, 'schema'), '0.19.0');
    const site = join(env, 'lib', 'python3.11', 'site-packages');
    const found = findTruss({ folder: tmp, python: join(env, 'bin', 'python3') })!;
    assert.equal(shippedSchema(found), undefined);
    mkdirSync(join(site, 'truss'));
    writeFileSync(join(site, 'truss', 'config.schema.json'), '{"properties": {"warm_pool_size": {}}}');
    assert.deepEqual(shippedSchema(found), { properties: { warm_pool_size: {} } });
    writeFileSync(join(site, 'truss', 'config.schema.json'), '{ not json');
    assert.equal(shippedSchema(found), undefined);
  });

  it('takes a pin in requirements as a hint, last', () => {
    const dir = join(tmp, 'reqs');
    mkdirSync(dir);
    writeFileSync(join(dir, 'requirements.txt'), 'truss-chains==0.1\ntorch\ntruss == 0.14.2  # deploy\n');
    assert.deepEqual(findTruss({ folder: dir, root: dir }), {
      version: '0.14.2',
      source: 'requirements',
      where: join(dir, 'requirements.txt'),
    });
    assert.equal(pinnedIn('dependencies = ["truss==0.13.1", "pydantic"]'), '0.13.1');
    assert.equal(pinnedIn('truss>=0.13\n'), undefined, 'a range names no release');
    assert.equal(pinnedIn('truss-chains==0.1\n'), undefined);
  });
});
