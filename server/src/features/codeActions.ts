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
import type { Fix, Range, TextEdit } from '../core/types';
import type { AnalyzeOptions } from '../engine/analyze';
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
 */
export function quickFixes<D extends ShownDiagnostic>(
  analysis: Analysis,
  diagnostics: D[],
  refused?: (r: Refusal) => void,
  file?: string,
): QuickFix<D>[] {
  const fixes: QuickFix<D>[] = [];
  const codes = new Set<string>();
  for (const d of diagnostics) {
    if (d.source !== 'truss' || typeof d.code !== 'string') continue;
    const message = typeof d.message === 'string' ? d.message : undefined;
    const finding = findingFor(analysis, d.code, d.range, message, file);
    if (!finding) continue;
    codes.add(finding.code);
    for (const fix of fixesFor(analysis, finding, refused)) fixes.push({ fix, diagnostics: [d] });
    const suppress = suppressFix(analysis, finding);
    if (suppress) fixes.push({ fix: suppress, diagnostics: [d] });
  }
  // A group fix speaks for the config's findings of a code (missing-secret's "add all").
  for (const code of file === undefined ? codes : []) {
    const of = diagnostics.filter((d) => d.code === code);
    for (const fix of groupFixesFor(analysis, code, refused)) fixes.push({ fix, diagnostics: of });
  }
  return fixes;
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
