// @ts-check
// yaml-language-server, the server we are compared with: where it is, its version, its fixed validation
// delay, and how it is started (with truss's published schema, no network).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { LspServer, sleep } from './lsp.mjs';
import { round } from './stats.mjs';

export const YLS = 'yaml-language-server';

/**
 * @typedef {object} Yls
 * @property {boolean} installed
 * @property {string} bin
 * @property {string | undefined} version
 * @property {number | undefined} delayMs its fixed delay between a change and its validation (validationDelayMs)
 */

/**
 * @param {string} repoRoot
 * @returns {Yls}
 */
export function findYls(repoRoot) {
  const dir = join(repoRoot, 'node_modules', 'yaml-language-server');
  const bin = join(dir, 'bin', 'yaml-language-server');
  const installed = existsSync(bin);
  /** @type {{ version: string } | undefined} */
  const pkg = installed ? JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) : undefined;
  return { installed, bin, version: pkg?.version, delayMs: validationDelay(dir) };
}

/** @param {string} dir */
function validationDelay(dir) {
  try {
    const m = /validationDelayMs\s*=\s*(\d+)/.exec(
      readFileSync(join(dir, 'out', 'server', 'src', 'yamlSettings.js'), 'utf8'),
    );
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * yaml-language-server with truss's schema for every YAML file.
 * @param {{ yls: Yls, schemaPath: string }} inputs
 * @param {string[]} nodeArgs
 * @param {string} cwd
 */
export function ylsServer({ yls, schemaPath }, nodeArgs, cwd) {
  const schemaUri = pathToFileURL(schemaPath).href;
  return new LspServer({
    name: YLS,
    command: process.execPath,
    args: [...nodeArgs, yls.bin, '--stdio'],
    cwd,
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

/**
 * It pulls its settings after `initialized`; waits for that before anything is timed.
 * @param {LspServer} server
 */
export async function settingsPulled(server) {
  const t0 = performance.now();
  while (server.configurationRequests === 0 && performance.now() - t0 < 5000) await sleep(5);
  await sleep(50);
}

/**
 * The note on its delay: its p50 net of the delay, and our ratio to that, per edited file.
 * @param {number | undefined} delayMs
 * @param {{ name: string, ours: number, yls: number }[]} series
 * @returns {string | undefined}
 */
export function delayNote(delayMs, series) {
  if (!delayMs || !series.length) return undefined;
  const net = series.map(
    ({ name, ours, yls }) => `${name}: ${round(yls - delayMs, 1)} ms (${round((yls - delayMs) / ours, 1)}×)`,
  );
  return (
    `yaml-language-server waits a fixed ${delayMs} ms (validationDelayMs) before it validates; ` +
    'that is included above, as our own scheduling is. ' +
    `Net of it, its p50 and our ratio are: ${net.join('; ')}.`
  );
}
