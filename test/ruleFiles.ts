/** The per-rule test files: test/rules/<rule>/*.yaml (annotated) and test/rules/<rule>/fixes/*.{in,out}.yaml. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RULES } from '../server/src/engine/rules';
import { type Expectation, readAnnotated, trussRelease, trussSays, workspaceSecrets } from './annotations';
import type { TrussAnswer } from '../server/src/core/truss/trussAnswer';

/** The repository: the first folder above this bundle (out/test/…) that holds package.json. */
export const ROOT = (() => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();
export const RULES_DIR = join(ROOT, 'test', 'rules');

export interface RuleCase {
  rule: string;
  /** test/rules/<rule>/<file> */
  name: string;
  text: string;
  expected: Expectation[];
  /** The Baseten workspace's secret names (`# workspace-secrets:`), when the case names them. */
  workspace?: string[];
  /** The truss release it is judged by (`# truss-release:`), when the case names one. */
  release?: string;
  /** What the installed truss says of it (`# truss-says:`), when the case gives it. */
  says?: TrussAnswer;
  /**
   * The codes the case speaks for: its rule's, and any it annotates. Another rule's findings on it are
   * not its business (the corpus and invariant suites cover rules together), so a new rule never
   * edits another rule's cases.
   */
  codes: Set<string>;
}

export interface Golden {
  rule: string;
  name: string;
  /** The code whose fix this is, and a substring of the fix's title (from the `# fix <code>: <title>` line). */
  code: string;
  title: string;
  input: string;
  output: string;
  inputFile: string;
  outputFile: string;
}

export function ruleFolders(): string[] {
  return readdirSync(RULES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

export function ruleCases(): RuleCase[] {
  return ruleFolders().flatMap((rule) =>
    readdirSync(join(RULES_DIR, rule))
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => {
        const source = readFileSync(join(RULES_DIR, rule, f), 'utf8');
        const annotated = readAnnotated(source);
        const own = RULES.find((r) => r.name === rule)?.codes.map((c) => c.code) ?? [];
        const codes = new Set([...own, ...annotated.expected.map((e) => e.code)]);
        return {
          rule,
          name: `${rule}/${f}`,
          ...annotated,
          workspace: workspaceSecrets(source),
          release: trussRelease(source),
          says: trussSays(source),
          codes,
        };
      }),
  );
}

export function goldens(): Golden[] {
  return ruleFolders().flatMap((rule) => {
    const dir = join(RULES_DIR, rule, 'fixes');
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => f.endsWith('.in.yaml'))
      .sort()
      .map((f) => {
        const name = f.slice(0, -'.in.yaml'.length);
        const inputFile = join(dir, f);
        const outputFile = join(dir, `${name}.out.yaml`);
        const input = readFileSync(inputFile, 'utf8');
        const m = /^# fix ([a-z0-9-]+): (.+)\n/.exec(input);
        if (!m) throw new Error(`${inputFile}: the first line must be "# fix <code>: <title>"`);
        const output = existsSync(outputFile) ? readFileSync(outputFile, 'utf8') : '';
        return { rule, name, code: m[1], title: m[2], input, output, inputFile, outputFile };
      });
  });
}

/** A golden by name, for tests about one fix. */
export function golden(name: string): Golden {
  const g = goldens().find((x) => x.name === name);
  if (!g) throw new Error(`no golden ${name}`);
  return g;
}

/** A Truss folder case: test/rules/<rule>/trusses/<case>/ with an annotated config.yaml and Python files. */
export interface TrussCase {
  rule: string;
  name: string;
  config: string;
  /** Every Python file of the folder, annotations removed (which of them truss packages, the config says). */
  files: Array<{ path: string; text: string; expected: Expectation[] }>;
  expected: Expectation[];
}

export function trussCases(): TrussCase[] {
  return ruleFolders().flatMap((rule) => {
    const dir = join(RULES_DIR, rule, 'trusses');
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .sort()
      .map((name) => {
        const root = join(dir, name);
        const config = readAnnotated(readFileSync(join(root, 'config.yaml'), 'utf8'));
        const files: TrussCase['files'] = [];
        const walk = (d: string, rel: string): void => {
          for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
            const r = rel ? `${rel}/${e.name}` : e.name;
            if (e.isDirectory()) walk(join(d, e.name), r);
            else if (e.name.endsWith('.py')) {
              const a = readAnnotated(readFileSync(join(d, e.name), 'utf8'));
              files.push({ path: r, text: a.text, expected: a.expected });
            }
          }
        };
        walk(root, '');
        return { rule, name: `${rule}/trusses/${name}`, config: config.text, expected: config.expected, files };
      });
  });
}
