import type { Analysis } from '../core/analysis';
import { nodeAt } from '../core/yaml/cursor';
import { addSecrets } from '../core/truss/secretEdits';
import {
  type ImageRegistry,
  REGISTRY_SECRET_PREFIX,
  credentialHours,
  credentialUser,
  registryOfHost,
  registryOfSecret,
  registrySecretName,
} from '../core/truss/registry';
import type { Finding, Fix, Range, TextEdit } from '../core/types';
import type { AnalyzeOptions } from '../engine/analyze';
import { readProject } from '../engine/project';
import { ParsedDocument } from '../core/yaml/parse';
import { fixAll } from '../engine/fixAll';
import { verify } from '../engine/verify';
import { type Refusal, findingFor, fixesFor, groupFixesFor, suppressFix } from '../engine/fixes';

/** What a code action request says of a diagnostic the editor shows. */
export interface ShownDiagnostic {
  source?: string;
  code?: unknown;
  message?: unknown;
  range: Range;
}

/** A fix, and the diagnostics (of the request) it resolves. */
export interface QuickFix<D> {
  fix: Fix;
  diagnostics: D[];
}

/** The secret that holds a registry's pull credential, and the user name it goes with. */
export interface RegistryCredential {
  secretName: string;
  user: string;
  /** The config has `docker_auth` for the registry as well (`registry-credentials-twice`). */
  twice?: boolean;
  /** The registry's tokens expire after this many hours. */
  expiresHours?: number;
}

/**
 * Quick fixes for the diagnostics in the request that this analysis produced (a diagnostic
 * from another version finds no finding and gets no fix). A fix the verifier refuses is told to
 * `refused` and not offered. `file`: the model code file the diagnostics are in (absent: the config).
 * Each fix is offered once (one that several diagnostics share, as a line's suppression, speaks for
 * all), the preferred first, then the others, then the suppressions. A group fix that resolves several
 * of the request's diagnostics is the preferred one of its code.
 */
export function quickFixes<D extends ShownDiagnostic>(
  analysis: Analysis,
  diagnostics: D[],
  refused?: (r: Refusal) => void,
  file?: string,
): QuickFix<D>[] {
  const found: Array<{ finding: Finding; diagnostic: D }> = [];
  for (const d of diagnostics) {
    if (d.source !== 'truss' || typeof d.code !== 'string') continue;
    const message = typeof d.message === 'string' ? d.message : undefined;
    const finding = findingFor(analysis, d.code, d.range, message, file);
    if (finding) found.push({ finding, diagnostic: d });
  }
  const ranked: Array<QuickFix<D> & { rank: number }> = [];
  const offer = (fix: Fix, of: D[], rank: number) => {
    const same = ranked.find((q) => q.fix.title === fix.title && sameEdits(q.fix, fix));
    if (same) {
      for (const d of of) if (!same.diagnostics.includes(d)) same.diagnostics.push(d);
      same.rank = Math.min(same.rank, rank);
    } else {
      ranked.push({ fix, diagnostics: [...of], rank });
    }
  };
  // A group fix speaks for the config's findings of a code (missing-secret's "add all").
  const grouped = new Set<string>();
  for (const code of file === undefined ? new Set(found.map((f) => f.finding.code)) : []) {
    const of = found.filter((f) => f.finding.code === code).map((f) => f.diagnostic);
    for (const fix of groupFixesFor(analysis, code, refused)) {
      const preferred = of.length > 1;
      if (preferred) grouped.add(code);
      offer({ ...fix, preferred }, of, preferred ? 0 : 2);
    }
  }
  for (const { finding, diagnostic } of found) {
    for (const fix of fixesFor(analysis, finding, refused)) {
      const preferred = !!fix.preferred && !grouped.has(finding.code);
      offer({ ...fix, preferred }, [diagnostic], preferred ? 1 : 2);
    }
    const suppress = suppressFix(analysis, finding);
    if (suppress) offer(suppress, [diagnostic], 3);
  }
  return ranked.sort((a, b) => a.rank - b.rank).map(({ fix, diagnostics: of }) => ({ fix, diagnostics: of }));
}

/**
 * Quick fixes of a project file's (`.truss-config.yaml`) problems shown in the request: a near-miss key
 * or code becomes the known one. Each is checked: the file then loads to the same value with that key
 * renamed, and has that problem no more.
 */
export function projectFixes<D extends ShownDiagnostic>(text: string, diagnostics: D[]): QuickFix<D>[] {
  const { problems } = readProject(text);
  const out: QuickFix<D>[] = [];
  for (const d of diagnostics) {
    if (d.source !== 'truss' || d.code !== PROJECT_FILE_CODE) continue;
    const p = problems.find((x) => x.nearMiss && x.message === d.message && sameRange(x.range, d.range));
    if (!p?.nearMiss) continue;
    const edit = { range: p.range, newText: p.nearMiss.to };
    const after = applyText(text, edit);
    const renamed = renamedKey(new ParsedDocument(text).value, p.nearMiss.path, p.nearMiss.to);
    const read = readProject(after);
    const parsed = new ParsedDocument(after);
    if (parsed.problems.some((x) => x.severity === 'error')) continue;
    if (JSON.stringify(parsed.value) !== JSON.stringify(renamed)) continue;
    if (read.problems.length >= problems.length) continue;
    out.push({ fix: { title: `Change to \`${p.nearMiss.to}\``, edits: [edit], preferred: true }, diagnostics: [d] });
  }
  return out;
}

/** The code of a project file's diagnostics. */
export const PROJECT_FILE_CODE = 'project-file';

function sameRange(a: Range, b: Range): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}

function applyText(text: string, edit: TextEdit): string {
  const parsed = new ParsedDocument(text);
  return text.slice(0, parsed.offset(edit.range.start)) + edit.newText + text.slice(parsed.offset(edit.range.end));
}

/** A loaded value with the key at `path` renamed, in its place among its siblings. */
function renamedKey(value: unknown, path: string[], to: string): unknown {
  if (!path.length || !value || typeof value !== 'object' || Array.isArray(value)) return value;
  const [head, ...rest] = path;
  const entries = Object.entries(value as Record<string, unknown>).map(([k, v]): [string, unknown] =>
    k !== head ? [k, v] : rest.length ? [k, renamedKey(v, rest, to)] : [to, v],
  );
  return Object.fromEntries(entries);
}

function sameEdits(a: Fix, b: Fix): boolean {
  return JSON.stringify([a.edits, a.files]) === JSON.stringify([b.edits, b.files]);
}

/**
 * The registry credential a `DOCKER_REGISTRY_` key under `secrets` at the start of a range names, by the name
 * Baseten reads (`DOCKER_REGISTRY_docker.io` makes Docker Hub's).
 */
export function credentialAt(analysis: Analysis, range: Range): RegistryCredential | undefined {
  const at = nodeAt(analysis.parsed, analysis.parsed.offset(range.start));
  const name = at?.path.length === 2 && at.path[0] === 'secrets' ? at.path[1] : undefined;
  if (!name?.startsWith(REGISTRY_SECRET_PREFIX)) return undefined;
  return namedCredential({ secretName: name }, analysis) ?? undefined;
}

/** What the credential command needs for a document: the image's pull-credential secret. */
export function imageCredential(analysis: Analysis): RegistryCredential | null {
  const reg = analysis.facts.image?.registry;
  if (!analysis.truss || !reg) return null;
  return credentialOf(reg, analysis);
}

/**
 * The pull credential of a registry the user named (a host in any spelling, or a secret's name), for a
 * document when there is one: named by the one function the `registry-secret-mismatch` rule uses.
 */
export function namedCredential(
  named: { host?: string; secretName?: string },
  analysis?: Analysis,
): RegistryCredential | null {
  const suffix = named.secretName?.startsWith(REGISTRY_SECRET_PREFIX)
    ? named.secretName.slice(REGISTRY_SECRET_PREFIX.length)
    : undefined;
  const reg = suffix !== undefined ? registryOfSecret(suffix) : registryOfHost(named.host ?? '');
  return reg ? credentialOf(reg, analysis?.truss ? analysis : undefined) : null;
}

function credentialOf(reg: ImageRegistry, analysis?: Analysis): RegistryCredential {
  const secretName = registrySecretName(reg);
  const image = analysis?.facts.image?.registry;
  // As the rule says: docker_auth with a method, and this secret for the image's registry.
  const twice = !!analysis?.facts.authMethod?.method && !!image && registrySecretName(image) === secretName;
  const hours = credentialHours(reg.kind);
  return {
    secretName,
    user: credentialUser(reg.kind) ?? '',
    ...(twice ? { twice } : {}),
    ...(hours ? { expiresHours: hours } : {}),
  };
}

/** The edit that declares `name: null` under `secrets`, when the document is a Truss config without it. */
export function declareSecretEdit(analysis: Analysis, name: string): TextEdit | undefined {
  if (!analysis.truss || analysis.facts.secretNames.has(name)) return undefined;
  const edit = addSecrets(analysis.parsed, analysis.facts, [name]);
  const fix = { title: 'declare', edits: edit ? [edit] : [], intent: [{ path: ['secrets', name], to: null }] };
  return edit && !verify(analysis, fix, [], { baseten: analysis.baseten, release: analysis.release }).refused
    ? edit
    : undefined;
}

/**
 * The fixes the checker's --fix applies (engine/fixAll.ts), as one edit of the part of the text that
 * changes; undefined when there is nothing to fix.
 */
export function fixAllEdit(analysis: Analysis, options: AnalyzeOptions): TextEdit | undefined {
  const before = analysis.parsed.text;
  const { text: after, applied } = fixAll(before, options);
  if (!applied.length || after === before) return undefined;
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (
    end < before.length - start &&
    end < after.length - start &&
    before[before.length - 1 - end] === after[after.length - 1 - end]
  ) {
    end++;
  }
  const range = analysis.parsed.range(start, before.length - end);
  return { range, newText: after.slice(start, after.length - end) };
}
