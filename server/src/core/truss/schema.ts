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
