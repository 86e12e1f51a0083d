/**
 * What a truss newer than our data knows, from the `truss/config.schema.json` it ships (from truss
 * 0.15.10: pydantic's JSON schema of `TrussConfig`). The environment reads the file; this reads the
 * schema as data. Items are named as in the release data (core/truss/release.ts): `key:a.b[].c` for a
 * key path, and `value:a.b=V` for a value an enum or a constant of the schema allows there. The schema
 * allows unknown keys and types `accelerator` and `python_version` as plain strings, so it only ever
 * adds to what is known.
 */
export interface ShippedSchema {
  /** The installed truss's version. */
  version: string;
  items: ReadonlySet<string>;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The key paths and values a JSON schema of `TrussConfig` knows; empty for what is not such a schema. */
export function shippedItems(schema: unknown): Set<string> {
  const items = new Set<string>();
  if (!isObj(schema)) return items;
  const defs = isObj(schema.$defs) ? schema.$defs : isObj(schema.definitions) ? schema.definitions : {};
  const seen = new Set<string>();
  const walk = (node: unknown, at: string, depth: number): void => {
    if (!isObj(node) || depth > 40) return;
    if (typeof node.$ref === 'string') {
      const name = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(node.$ref)?.[1];
      const key = `${name}\u0000${at}`;
      if (name && !seen.has(key)) {
        seen.add(key);
        walk(defs[name], at, depth + 1);
      }
    }
    for (const k of ['anyOf', 'oneOf', 'allOf']) {
      if (Array.isArray(node[k])) for (const branch of node[k]) walk(branch, at, depth + 1);
    }
    if (at) {
      if (Array.isArray(node.enum)) for (const v of node.enum) if (typeof v === 'string') items.add(`value:${at}=${v}`);
      if (typeof node.const === 'string') items.add(`value:${at}=${node.const}`);
    }
    if (isObj(node.properties)) {
      for (const [name, sub] of Object.entries(node.properties)) {
        const path = at ? `${at}.${name}` : name;
        items.add(`key:${path}`);
        walk(sub, path, depth + 1);
      }
    }
    if (node.items !== undefined && at) walk(node.items, `${at}[]`, depth + 1);
  };
  walk(schema, '', 0);
  return items;
}
