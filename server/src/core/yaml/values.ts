/** Reading the plain JS value of a config, as truss sees it. */
import { Bytes } from './pyyaml';

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof Date) &&
    !(v instanceof Bytes) &&
    !(v instanceof Set)
  );
}

export function get(v: unknown, ...path: string[]): unknown {
  let cur = v;
  for (const k of path) {
    if (!isObj(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/** Truthy as pydantic's lax bool reads it. */
export function truthy(v: unknown): boolean {
  if (typeof v === 'string') return /^(?:true|yes|on|t|y|1)$/i.test(v.trim());
  return v === true || v === 1;
}

/** Set: present and not null, "" or an empty list or mapping. */
export function isSet(v: unknown): boolean {
  if (v === null || v === undefined || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isObj(v)) return Object.keys(v).length > 0;
  return true;
}

/** An int as pydantic's lax int reads it, or undefined. */
export function asInt(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v)) return Number(v);
  return undefined;
}
