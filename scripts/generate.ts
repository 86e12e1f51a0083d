/**
 * Everything derived from the rule declarations, as path → content: the rule docs and the README's
 * table (docs.ts), and package.json's `trussConfig.rules` settings. `npm run generate` writes them
 * (after the rule list, scripts/rule-list.mjs); test/generate.test.ts fails when one is stale.
 */
import type { CodeInfo } from '../server/src/core/rule';
import { CODES } from '../server/src/engine/rules';
import { generatedDocs } from './docs';

const LEVELS = ['off', 'hint', 'information', 'warning', 'error'];

interface Manifest {
  repository: { url: string };
  contributes: { configuration: { properties: Record<string, { properties?: Record<string, unknown> }> } };
}

/** A code's setting in package.json: its levels, its default and what it finds, with a link to its page. */
function setting(c: CodeInfo, repo: string) {
  return {
    type: 'string',
    enum: LEVELS,
    default: c.severity,
    markdownDescription: `${c.summary} ([${c.code}](${repo}/blob/main/docs/rules/${c.code}.md))`,
  };
}

/** package.json with one setting per code under `trussConfig.rules`, in rule order. */
export function manifest(text: string): string {
  const pkg = JSON.parse(text) as Manifest;
  const repo = pkg.repository.url.replace(/\.git$/, '');
  const rules = pkg.contributes.configuration.properties['trussConfig.rules'];
  rules.properties = Object.fromEntries([...CODES.values()].map((c) => [c.code, setting(c, repo)]));
  return JSON.stringify(pkg, null, 2) + '\n';
}

/** Every generated file but the rule list, from the current README.md and package.json. */
export function generatedFiles(read: (path: string) => string): Map<string, string> {
  const out = generatedDocs(read('README.md'));
  out.set('package.json', manifest(read('package.json')));
  return out;
}

/** Folders whose every file is generated: a file there that is not is an orphan. */
export const GENERATED_FOLDERS = ['docs/rules'];
