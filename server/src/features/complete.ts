import { isMap } from 'yaml';
import type { Analysis } from '../core/analysis';
import { looksLikeCredential } from '../core/truss/credentials';
import { indentUnit } from '../core/yaml/edit';
import { PLACEHOLDERS } from '../core/truss/placeholders';
import { cursorContext, type CursorContext } from '../core/yaml/cursor';
import { ACCELERATORS, type AuthMethod, METHOD_FIELDS, methodOrder } from '../core/truss/facts';
import { locate } from '../core/yaml/query';
import { REGISTRY_SECRET_PREFIX } from '../core/truss/registry';
import { keyItem, valueItem } from '../core/truss/release';
import { KEY_USAGE } from '../core/truss/keyUsage';
import { type JsonSchema, schemaAt } from '../core/truss/schema';
import { trussUses } from '../core/truss/secretUses';
import { codeFile, fileReads } from '../core/truss/modelCode';
import { offsetOf, positionOf } from '../core/python/secretReads';
import type { Position, Range } from '../core/types';
import { yamlString } from '../core/yaml/text';
import { needs } from './release';

export interface CompletionEntry {
  label: string;
  kind: 'property' | 'value' | 'secret' | 'snippet';
  /** A snippet when `snippet` is true. */
  insertText: string;
  snippet: boolean;
  range: Range;
  sortText: string;
  documentation?: string;
  detail?: string;
  filterText?: string;
}

const DOCKER_AUTH = ['base_image', 'docker_auth'];
/** How many of the workspace's secret names completion offers. */
const WORKSPACE_OFFERS = 1000;

/** `named`: the file's name makes it a candidate config (then an empty one is completed as a Truss config). */
export function complete(analysis: Analysis, pos: Position, named = false): CompletionEntry[] {
  if (!analysis.truss && !(named && isEmpty(analysis))) return [];
  const ctx = cursorContext(analysis.parsed, pos);
  if (!ctx) return [];
  const entries = ctx.mode === 'key' ? completeKey(analysis, ctx) : completeValue(analysis, ctx);
  // A name that looks like a credential (a token pasted as a secret name) is never offered, and the text
  // under the cursor (which a filter text repeats) is never sent back when it looks like one.
  return entries
    .filter((e) => !looksLikeCredential(e.label) && !looksLikeCredential(e.insertText))
    .map((e) => (e.filterText && looksLikeCredential(e.filterText) ? { ...e, filterText: undefined } : e));
}

/** The starter of an empty Truss config: the keys most configs set, each with a value truss accepts. */
const STARTER = [
  'model_name: ${1:my-model}',
  'python_version: ${2|py311,py312,py313|}',
  'requirements: []',
  'resources:',
  '  cpu: "${3:1}"',
  '  memory: ${4:2Gi}',
  'secrets: {}',
  '$0',
];

/** A file that holds nothing but comments and blank lines. */
function isEmpty(analysis: Analysis): boolean {
  return /^(\s*(#.*)?(\r?\n|$))*$/.test(analysis.parsed.text);
}

/** The starter snippet, offered in an empty file. */
function starter(analysis: Analysis, ctx: CursorContext): CompletionEntry[] {
  if (ctx.path.length || ctx.flow || !isEmpty(analysis)) return [];
  const { eol } = analysis.parsed;
  const indent = ' '.repeat(indentUnit(analysis.parsed));
  return [
    {
      label: 'Truss config (starter)',
      kind: 'snippet',
      insertText: STARTER.map((l) => l.replace(/^ {2}/, indent)).join(eol),
      snippet: true,
      range: ctx.replace,
      sortText: '0',
      documentation: 'A minimal Truss config: a model name, a Python version, requirements, a CPU replica, no secrets.',
    },
  ];
}

function completeKey(analysis: Analysis, ctx: CursorContext): CompletionEntry[] {
  const { facts } = analysis;
  if (ctx.path.length === 1 && ctx.path[0] === 'secrets') return secretKeys(analysis, ctx);
  const schema = schemaAt(ctx.path);
  if (!schema?.properties) return [];
  const at = locate(analysis.parsed, ctx.path);
  const map = at.depth === ctx.path.length && isMap(at.found.node) ? at.found.node : undefined;
  const present = new Set(map ? map.items.map((p) => String((p.key as { value?: unknown })?.value)) : []);
  const method = facts.authMethod?.method;
  const isAuth = samePath(ctx.path, DOCKER_AUTH);
  const entries: CompletionEntry[] = starter(analysis, ctx);
  for (const [key, sub] of Object.entries(schema.properties)) {
    if (present.has(key) && key !== ctx.typed) continue;
    let rank = 1;
    if (isAuth) {
      if (key === 'auth_method' || (method && METHOD_FIELDS[method].required.includes(key))) rank = 0;
      else if (method && METHOD_FIELDS[method].forbidden.includes(key)) continue;
      else if (method && !usedBy(method, key)) rank = 2;
    }
    if (rank === 1 && isInternal(sub)) rank = 3; // internal or deprecated: last
    const unknown = needs(keyItem([...ctx.path, key]), analysis.release);
    if (unknown) rank = 4;
    entries.push({
      label: key,
      kind: 'property',
      insertText: keySnippet(key, sub, analysis, ctx),
      snippet: true,
      range: ctx.replace,
      sortText: `${rank}${usageOrder([...ctx.path, key])}${key}`,
      documentation: sub.markdownDescription,
      detail: unknown,
    });
  }
  return entries;
}

/** A key truss keeps for itself, or one it deprecated (by its description): offered last. */
function isInternal(schema: JsonSchema): boolean {
  return /^(Internal|Deprecated)\b|\bInternal[.;]|\bMay change\./.test(schema.markdownDescription ?? '');
}

/** Keys that real configs use more often sort first: how many do not, as a fixed-width number. */
function usageOrder(path: string[]): string {
  const used = KEY_USAGE[path.map((s) => (/^\d+$/.test(s) ? '*' : s)).join('.')] ?? 0;
  return String(Math.max(0, 9999 - used)).padStart(4, '0');
}

/** Which docker_auth fields a method reads (beyond its required ones). */
function usedBy(method: AuthMethod, key: string): boolean {
  if (key === 'registry') return true;
  if (key === 'secret_name') return method === 'GCP_SERVICE_ACCOUNT_JSON' || method === 'REGISTRY_SECRET';
  if (key.startsWith('aws_') && key.endsWith('_secret_name')) return method === 'AWS_IAM';
  return METHOD_FIELDS[method].required.includes(key);
}

/** `key: ` with a placeholder where one helps; a mapping opens an indented line. Inserted as is (no re-indenting). */
function keySnippet(key: string, schema: JsonSchema, analysis: Analysis, ctx: CursorContext): string {
  const types = ([] as string[]).concat(schema.type ?? []);
  if (key === 'auth_method') return `auth_method: \${1|${methodOrder(analysis.facts.image?.registry).join(',')}|}`;
  if (key === 'registry' && analysis.facts.image?.registry)
    return `registry: \${1:${snippetText(analysis.facts.image.registry.host)}}`;
  if (types.includes('object') && ctx.flow) return `${key}: {$0}`;
  if (types.includes('object')) {
    const eol = analysis.parsed.eol;
    return `${key}:${eol}${' '.repeat(ctx.indent + indentUnit(analysis.parsed))}$0`;
  }
  const example = PLACEHOLDERS[key];
  return example ? `${key}: \${1:${snippetText(example(analysis.facts))}}` : `${key}: $0`;
}

function completeValue(analysis: Analysis, ctx: CursorContext): CompletionEntry[] {
  const { facts } = analysis;
  const field = ctx.path[ctx.path.length - 1];
  const inAuth = samePath(ctx.path.slice(0, -1), DOCKER_AUTH);
  let values: Array<{ value: string; doc?: string; detail?: string; raw?: boolean }> = [];
  let kind: CompletionEntry['kind'] = 'value';

  if (inAuth && field === 'auth_method') {
    const schema = schemaAt(ctx.path);
    const docs = new Map((schema?.enum as string[]).map((m, i) => [m, schema?.markdownEnumDescriptions?.[i]]));
    values = methodOrder(facts.image?.registry).map((m) => ({ value: m, doc: docs.get(m) }));
  } else if (
    inAuth &&
    (field === 'secret_name' ||
      field === 'aws_access_key_id_secret_name' ||
      field === 'aws_secret_access_key_secret_name')
  ) {
    kind = 'secret';
    values = facts.secretEntries
      .filter((e) => !e.name.startsWith(REGISTRY_SECRET_PREFIX))
      .map((e) => ({
        value: e.name,
        detail: 'declared under secrets',
        doc: `Declared under \`secrets\` on line ${analysis.parsed.keyRange(e.pair).start.line + 1}.`,
      }));
    values.push(
      ...workspaceNames(analysis)
        .filter((n) => !n.startsWith(REGISTRY_SECRET_PREFIX) && !facts.secretNames.has(n))
        .map((n) => ({ value: n, detail: `in ${analysis.baseten!.where}`, doc: inWorkspaceDoc(analysis) })),
    );
  } else if (inAuth && field === 'registry') {
    const reg = facts.image?.registry;
    if (reg)
      values = [
        {
          value: reg.host,
          detail: 'host of base_image.image',
          doc: `The registry that \`base_image.image\` pulls from.`,
        },
      ];
  } else if (
    ctx.path.join('.') === 'resources.accelerator' ||
    ctx.path.join('.') === 'resources.accelerator.accelerator'
  ) {
    values = ACCELERATORS.filter((a) => a !== 'B10').map((a) => ({
      value: a,
      detail: 'GPU type; add `:N` for N GPUs',
    }));
  } else {
    const schema = schemaAt(ctx.path);
    const docs = schema?.markdownEnumDescriptions;
    const types = ([] as string[]).concat(schema?.type ?? []);
    const enumValues = schema?.enum ?? (types.includes('boolean') ? [true, false] : []);
    values = enumValues.map((v, i) => ({ value: String(v), doc: docs?.[i], raw: typeof v === 'boolean' }));
  }

  // A value the user's truss does not know yet is offered last, marked.
  const marked = values.map((v) => ({ ...v, needs: needs(valueItem(ctx.path, v.value), analysis.release) }));
  const ordered = [...marked.filter((v) => !v.needs), ...marked.filter((v) => v.needs)];
  const typed = ctx.typed.toLowerCase();
  const anyMatch = values.some((v) => v.value.toLowerCase().startsWith(typed));
  return ordered.map((v, i) => ({
    label: v.value,
    kind,
    insertText: ctx.quote
      ? v.value.replace(ctx.quote === '"' ? /["\\]/g : /'/g, (c) => (ctx.quote === '"' ? `\\${c}` : "''"))
      : (ctx.needsSpace ? ' ' : '') + (v.raw ? v.value : yamlString(v.value)),
    snippet: false,
    range: ctx.replace,
    sortText: String(i).padStart(2, '0'),
    documentation: v.doc,
    detail: v.needs ?? v.detail,
    // Over a value that matches nothing (an invalid one), still show every choice.
    filterText: anyMatch ? undefined : ctx.typed + v.value,
  }));
}

function secretKeys(analysis: Analysis, ctx: CursorContext): CompletionEntry[] {
  const needed = trussUses(analysis.parsed, analysis.facts, analysis.code).uses.filter(
    (u) => u.kind !== 'declaration' && !analysis.facts.secretNames.has(u.name),
  );
  const names = [...new Map(needed.map((u) => [u.name, u])).values()];
  const entries: CompletionEntry[] = names.map((n, i) => ({
    label: n.name,
    kind: 'secret' as const,
    insertText: `${snippetText(yamlString(n.name))}: null`,
    snippet: true,
    range: ctx.replace,
    sortText: String(i).padStart(2, '0'),
    detail: n.use,
    documentation: `${n.use}. Declared with \`null\`: the value is stored as a Baseten secret, never in this file.`,
  }));
  const offered = new Set(names.map((n) => n.name));
  for (const name of workspaceNames(analysis)) {
    if (analysis.facts.secretNames.has(name) || offered.has(name)) continue;
    entries.push({
      label: name,
      kind: 'secret',
      insertText: `${snippetText(yamlString(name))}: null`,
      snippet: true,
      range: ctx.replace,
      sortText: `1${name}`,
      detail: `in ${analysis.baseten!.where}`,
      documentation: inWorkspaceDoc(analysis),
    });
  }
  return entries;
}

/**
 * Completion in a file of the model code (`file`, relative to the config's folder): inside the string of
 * `secrets["|"]` or `secrets.get("|")` on truss's secrets mapping, the names `config.yaml` declares,
 * replacing what is typed there. Nothing anywhere else: the Python language is another extension's.
 */
export function completeCode(analysis: Analysis, file: string, pos: Position): CompletionEntry[] {
  if (!analysis.truss) return [];
  const f = codeFile(analysis.code, file);
  if (!f) return [];
  const { found } = fileReads(f);
  const offset = offsetOf(found, f.text.length, pos.line, pos.character);
  const slot = found.slots.find((s) => s.from <= offset && offset <= s.to);
  if (!slot) return [];
  const range = { start: positionOf(found, slot.from), end: positionOf(found, slot.to) };
  // A name that would need an escape in the string cannot be written in it as it is.
  const names = [...analysis.facts.secretNames].filter((n) => /^[-._a-zA-Z0-9]+$/.test(n) && !looksLikeCredential(n));
  return names.map((name, i) => ({
    label: name,
    kind: 'secret' as const,
    insertText: name,
    snippet: false,
    range,
    sortText: String(i).padStart(4, '0'),
    detail: 'declared in config.yaml',
    documentation:
      `A secret \`config.yaml\` declares under \`secrets\`: truss's mapping holds it, and its value is the Baseten ` +
      'secret of that name.',
  }));
}

/** The Baseten workspace's secret names, when known: the first ones, for a workspace with thousands. */
function workspaceNames(analysis: Analysis): readonly string[] {
  return analysis.baseten?.names.slice(0, WORKSPACE_OFFERS) ?? [];
}

function inWorkspaceDoc(analysis: Analysis): string {
  return `A secret of ${analysis.baseten!.where} (its name only: the value stays in Baseten).`;
}

function samePath(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/** Escapes text for a snippet. */
function snippetText(s: string): string {
  return s.replace(/[$}\\]/g, (c) => `\\${c}`);
}
