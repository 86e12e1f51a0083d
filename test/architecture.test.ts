/**
 * The invariants of ARCHITECTURE.md, checked on the source: which layer may import which, no import
 * cycle (type-only imports count), and one module for the names client and server share.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { CODES } from '../server/src/engine/rules';
import { ROOT } from './ruleFiles';

interface SourceFile {
  /** Path from the repository root, with `/`. */
  path: string;
  /** Bare package imports (`yaml`, `node:fs`, …). */
  packages: string[];
  /** Repository files this one imports, type-only imports included. */
  files: string[];
}

const FOLDERS = ['server/src', 'client/src', 'protocol'];
const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/g;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function sources(): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) out.push(read(p));
    }
  };
  for (const f of FOLDERS) walk(f);
  return out;
}

function read(path: string): SourceFile {
  const text = readFileSync(join(ROOT, path), 'utf8');
  const specs = [...text.matchAll(IMPORT), ...text.matchAll(DYNAMIC)].map((m) => m[1]);
  const packages: string[] = [];
  const files: string[] = [];
  for (const s of specs) {
    if (!s.startsWith('.')) {
      packages.push(s);
      continue;
    }
    const target = relative(ROOT, resolve(join(ROOT, dirname(path)), s))
      .split('\\')
      .join('/');
    files.push(target.endsWith('.json') ? target : `${target}.ts`);
  }
  return { path, packages, files };
}

/** The layer a file belongs to. */
function layer(path: string): string {
  if (path.startsWith('protocol/')) return 'protocol';
  if (path.startsWith('client/')) return 'client';
  if (path.startsWith('schemas/')) return 'schemas';
  if (path === 'server/src/boot.ts') return 'boot';
  const m = /^server\/src\/([^/]+)\//.exec(path);
  return m ? m[1] : 'entry'; // server/src/server.ts, cli.ts and action.ts
}

/** Which layers each layer may import, and which packages. */
const ALLOWED: Record<string, { layers: string[]; packages: RegExp }> = {
  protocol: { layers: [], packages: /^$/ },
  core: {
    layers: ['core', 'protocol', 'schemas'],
    packages: /^(yaml|ajv|ajv\/.*|truss-config:schema-validator|@lezer\/python|@lezer\/common)$/,
  },
  rules: { layers: ['core'], packages: /^yaml$/ },
  features: { layers: ['core', 'engine'], packages: /^yaml$/ },
  engine: { layers: ['core', 'rules'], packages: /^$/ },
  baseten: { layers: [], packages: /^node:(fs|os|path)$/ },
  environment: { layers: [], packages: /^node:(fs|path)$/ },
  trussRun: { layers: ['core'], packages: /^node:(child_process|os)$/ },
  lsp: {
    layers: ['core', 'engine', 'features', 'protocol', 'baseten', 'environment', 'trussRun'],
    packages: /^(vscode-languageserver(\/node)?|vscode-languageserver-textdocument|node:(fs|path|url|util|v8|vm))$/,
  },
  cli: { layers: ['core', 'engine', 'baseten', 'environment', 'trussRun'], packages: /^node:(fs|path|url)$/ },
  entry: { layers: ['lsp', 'cli'], packages: /^vscode-languageserver\/node$/ },
  boot: { layers: [], packages: /^node:(buffer|fs|module|os|path|vm)$/ },
  client: { layers: ['client', 'protocol'], packages: /^(vscode|vscode-languageclient\/node)$/ },
};

describe('architecture (ARCHITECTURE.md)', () => {
  const files = sources();

  it('finds the sources', () => {
    assert.ok(files.length > 40, `${files.length} files`);
    assert.ok(files.some((f) => f.path === 'server/src/core/yaml/parse.ts'));
  });

  it('each layer imports only the layers and packages it may', () => {
    const wrong: string[] = [];
    for (const f of files) {
      const own = layer(f.path);
      const allowed = ALLOWED[own];
      assert.ok(allowed, `${f.path}: no layer ${own} in ARCHITECTURE.md`);
      // package.json (the version) is read by the checker only.
      for (const t of f.files) {
        const to = layer(t);
        if (to !== own && !allowed.layers.includes(to) && !(own === 'cli' && t === 'package.json')) {
          wrong.push(`${f.path} imports ${t}`);
        }
      }
      for (const p of f.packages) if (!allowed.packages.test(p)) wrong.push(`${f.path} imports package ${p}`);
    }
    assert.deepEqual(wrong, []);
  });

  it('only trussRun starts a process (the opt-in truss run)', () => {
    const spawners = files.filter((f) => f.packages.includes('node:child_process')).map((f) => f.path);
    assert.deepEqual(spawners, ['server/src/trussRun/worker.ts']);
  });

  it('the server reads the file system in one module only, lsp/workspace.ts', () => {
    const readers = files.filter((f) => f.path.startsWith('server/src/lsp/') && f.packages.includes('node:fs'));
    assert.deepEqual(
      readers.map((f) => f.path),
      ['server/src/lsp/workspace.ts'],
    );
  });

  it('core is in rooms: yaml and python know no truss, truss no rule API', () => {
    // core/types.ts (positions, ranges, findings) is the floor every room stands on.
    const room = (path: string) => /^server\/src\/core\/(yaml|truss|python)\//.exec(path)?.[1] ?? 'api';
    const may: Record<string, string[]> = {
      yaml: ['yaml'],
      python: ['python'],
      truss: ['yaml', 'python', 'truss'],
      api: ['yaml', 'python', 'truss', 'api'],
    };
    const wrong: string[] = [];
    for (const f of files.filter((x) => layer(x.path) === 'core')) {
      for (const t of f.files) {
        if (layer(t) !== 'core' || t === 'server/src/core/types.ts') continue;
        if (!may[room(f.path)].includes(room(t))) wrong.push(`${f.path} imports ${t}`);
      }
    }
    assert.deepEqual(wrong, []);
    assert.ok(files.some((f) => f.path.startsWith('server/src/core/yaml/')));
    assert.ok(files.some((f) => f.path.startsWith('server/src/core/truss/')));
    assert.ok(files.some((f) => f.path.startsWith('server/src/core/python/')));
  });

  it('only core/python reads Python, and only through @lezer', () => {
    const lezer = files.filter((f) => f.packages.some((p) => p.startsWith('@lezer/')));
    assert.deepEqual(
      lezer.map((f) => f.path).filter((p) => !p.startsWith('server/src/core/python/')),
      [],
    );
    assert.ok(lezer.length > 0);
  });

  it('rules never import each other', () => {
    const wrong = files
      .filter((f) => layer(f.path) === 'rules')
      .flatMap((f) => f.files.filter((t) => layer(t) === 'rules').map((t) => `${f.path} imports ${t}`));
    assert.deepEqual(wrong, []);
  });

  it('no import cycle, type-only imports included', () => {
    const graph = new Map(files.map((f) => [f.path, f.files.filter((t) => t.endsWith('.ts'))]));
    const cycles = stronglyConnected(graph).filter((c) => c.length > 1 || graph.get(c[0])?.includes(c[0]));
    assert.deepEqual(cycles, []);
  });

  it('client and server name their custom requests and commands only in protocol/protocol.ts', () => {
    const literal = /['"`]trussConfig[./][A-Za-z]+['"`]/g;
    const wrong: string[] = [];
    for (const f of files) {
      if (f.path === 'protocol/protocol.ts') continue;
      const text = readFileSync(join(ROOT, f.path), 'utf8');
      for (const m of text.matchAll(literal)) {
        // Settings sections are VS Code configuration keys, not protocol names.
        if (!/^.trussConfig\.?$/.test(m[0]) && !m[0].startsWith("'trussConfig'")) wrong.push(`${f.path}: ${m[0]}`);
      }
    }
    assert.deepEqual(wrong, []);
    const server = readFileSync(join(ROOT, 'server/src/lsp/server.ts'), 'utf8');
    const client = readFileSync(join(ROOT, 'client/src/extension.ts'), 'utf8');
    assert.match(server, /REGISTRY_INFO_REQUEST/);
    assert.match(client, /REGISTRY_INFO_REQUEST/);
  });

  it('no code is named outside its rule: engine, lsp, cli, features and scripts know no rule', () => {
    const codes = new Set(CODES.keys());
    const scripts = readdirSync(join(ROOT, 'scripts'))
      .filter((f) => /\.(ts|mjs)$/.test(f))
      .map((f) => `scripts/${f}`);
    const wrong: string[] = [];
    for (const path of [...files.map((f) => f.path), ...scripts]) {
      if (path.startsWith('server/src/rules/')) continue;
      // Comments may name a code; code may not.
      const text = readFileSync(join(ROOT, path), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      for (const m of text.matchAll(/['"`]([a-z][a-z0-9-]*)['"`]/g)) {
        if (codes.has(m[1]) && m[1].includes('-')) wrong.push(`${path}: ${m[0]}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('the cycle check can fail', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    assert.deepEqual(
      stronglyConnected(graph).filter((c) => c.length > 1),
      [['a', 'b', 'c']],
    );
  });
});

/** Tarjan's strongly connected components, each sorted. */
function stronglyConnected(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        c.push(w);
      } while (w !== v);
      out.push(c.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}
