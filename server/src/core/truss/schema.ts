import type { ErrorObject } from 'ajv';
import validate from 'truss-config:schema-validator';
import schemaJson from '../../../../schemas/truss-config.schema.json';

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  markdownDescription?: string;
  markdownEnumDescriptions?: string[];
  [key: string]: unknown;
};

export const trussSchema = schemaJson as unknown as JsonSchema;

/** Validates against the schema with the validator compiled at build time (see schemaCompile.ts). */
export function validateSchema(value: unknown): ErrorObject[] {
  return validate(value) ? [] : [...(validate.errors ?? [])];
}

/** The sub-schema for a path of keys, or undefined where the schema says nothing. */
export function schemaAt(path: readonly string[]): JsonSchema | undefined {
  let s: JsonSchema | undefined = trussSchema;
  for (const seg of path) {
    if (!s) return undefined;
    if (s.properties && seg in s.properties) s = s.properties[seg];
    else if (s.items && /^\d+$/.test(seg)) s = s.items;
    else if (typeof s.additionalProperties === 'object') s = s.additionalProperties;
    else return undefined;
  }
  return s;
}

/** The keys a mapping at this path may have. */
export function knownKeys(path: readonly string[]): string[] {
  return Object.keys(schemaAt(path)?.properties ?? {});
}

export type { ErrorObject };

/** What the schema says of one place: the types it allows, its `enum` (or `const`) and text patterns. */
export interface Place {
  types: string[];
  enum?: unknown[];
  patterns: string[];
}

const pointer = (path: readonly string[]) => path.map((s) => '/' + s.replace(/~/g, '~0').replace(/\//g, '~1')).join('');

/**
 * What the schema says of each of these places in a value (by JSON pointer), or nothing for a place
 * where it says nothing (free-form). Found by validating a copy with a value that no type accepts at
 * each place: the type and enum errors there carry the schema of the place.
 */
export function placesOf(value: unknown, paths: readonly (readonly string[])[]): Map<string, Place> {
  const root: { v: unknown } = { v: value };
  const wanted = new Set<string>();
  for (const path of paths) {
    let parent: Record<string, unknown> = root;
    let key = 'v';
    let ok = true;
    for (const seg of path) {
      const cur = parent[key];
      if (typeof cur !== 'object' || cur === null || !(seg in cur)) {
        ok = false;
        break;
      }
      const copy = (Array.isArray(cur) ? [...(cur as unknown[])] : { ...cur }) as Record<string, unknown>;
      parent[key] = copy;
      [parent, key] = [copy, seg];
    }
    if (!ok) continue;
    parent[key] = Symbol('nothing');
    wanted.add(pointer(path));
  }
  const out = new Map<string, Place & { typed: boolean }>();
  for (const e of validateSchema(root.v)) {
    // Every schema that applies at a place must accept the value (properties, if/then): the allowed
    // types are what they all allow. Alternatives (anyOf) are not read.
    if (!wanted.has(e.instancePath) || /\/(?:anyOf|oneOf)\//.test(e.schemaPath)) continue;
    const s = e.parentSchema;
    const place = out.get(e.instancePath) ?? { types: [], patterns: [], typed: false };
    if (e.keyword === 'type') {
      const types = String(e.params.type).split(',');
      place.types = place.typed ? place.types.filter((t) => types.includes(t)) : types;
      place.typed = true;
      if (typeof s?.pattern === 'string') place.patterns.push(s.pattern);
    } else if (e.keyword === 'enum' && Array.isArray(s?.enum)) place.enum = s.enum as unknown[];
    else if (e.keyword === 'const') place.enum = [s?.const];
    else continue;
    out.set(e.instancePath, place);
  }
  return out;
}

export { pointer };
