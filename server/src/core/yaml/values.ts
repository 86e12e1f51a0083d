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

/** Truthy as pydantic's lax bool reads it (text is not trimmed: `" true"` is refused). */
export function truthy(v: unknown): boolean {
  if (typeof v === 'string') return /^(?:true|yes|on|t|y|1)$/i.test(v);
  return v === true || v === 1;
}

/** Truthy as Python reads a raw value (`if value:`): any text but `""`, any number but 0. */
export function pyTruthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Set) return v.size > 0;
  if (v instanceof Bytes) return v.latin1.length > 0;
  if (isObj(v)) return Object.keys(v).length > 0;
  return true;
}

/** Set: present and not null, "" or an empty list or mapping. */
export function isSet(v: unknown): boolean {
  if (v === null || v === undefined || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isObj(v)) return Object.keys(v).length > 0;
  return true;
}

/** The white space pydantic trims around a number written as text (Unicode's White_Space). */
export const WHITE_SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const LAX_INT = new RegExp(`^${WHITE_SPACE}*([-+]?[0-9]+(?:_[0-9]+)*)(?:\\.0+)?${WHITE_SPACE}*$`, 'u');

/** An int as pydantic's lax int reads it (`true`, `4.0`, `" 4 "`, `"1_000"`, `"4.00"`), or undefined. */
export function asInt(v: unknown): number | undefined {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  const m = typeof v === 'string' ? LAX_INT.exec(v) : null;
  return m ? Number(m[1].replace(/_/g, '')) : undefined;
}
