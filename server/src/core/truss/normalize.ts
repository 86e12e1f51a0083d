import { asInt, isObj } from '../yaml/values';

/**
 * The document as truss validates it: truss's own pre-processing applied (an empty file is `{}`, a
 * `!!set` is a list, `auth_method` is upper-cased before the enum check, an empty legacy `hf_cache`
 * is the empty list it becomes as `model_cache`, TRT-LLM calibration sizes are read as ints).
 * Only the changed path is copied; the input is not modified.
 */
export function asTrussSees(value: unknown): unknown {
  if (value === null || value === undefined) return {};
  const lists = setsToLists(value);
  if (!isObj(lists)) return lists;
  return laxCalibration(emptyHfCache(upperWeightsAuth(upperDockerAuth(lists))));
}

/** A `!!set` is a Python set: pydantic takes it for a list (and refuses it for anything else). */
function setsToLists(v: unknown): unknown {
  if (v instanceof Set) return [...v].map(setsToLists);
  if (Array.isArray(v)) {
    const items = v.map(setsToLists);
    return items.some((x, i) => x !== v[i]) ? items : v;
  }
  if (!isObj(v)) return v;
  let out: Record<string, unknown> | undefined;
  for (const [k, x] of Object.entries(v)) {
    const y = setsToLists(x);
    if (y !== x) (out ??= { ...v })[k] = y;
  }
  return out ?? v;
}

/** `trt_llm.build.quantization_config` sizes are lax ints (`"512"`, `true`), range-checked after conversion. */
function laxCalibration(value: Record<string, unknown>): Record<string, unknown> {
  const trt = value.trt_llm;
  const build = isObj(trt) ? trt.build : undefined;
  const qc = isObj(build) ? build.quantization_config : undefined;
  if (!isObj(trt) || !isObj(build) || !isObj(qc)) return value;
  const out = { ...qc };
  for (const key of ['calib_size', 'calib_max_seq_length']) {
    const n = asInt(out[key]);
    if (n !== undefined) out[key] = n;
  }
  return { ...value, trt_llm: { ...trt, build: { ...build, quantization_config: out } } };
}

/** truss renames `hf_cache` to `model_cache` when that is absent, reading a falsy value (`{}`, `""`) as `[]`. */
function emptyHfCache(value: Record<string, unknown>): Record<string, unknown> {
  if (!('hf_cache' in value) || 'model_cache' in value) return value;
  const v = value.hf_cache;
  const falsy = v === null || v === false || v === 0 || v === '' || (isObj(v) && !Object.keys(v).length);
  return falsy ? { ...value, hf_cache: [] } : value;
}

function upperDockerAuth(value: Record<string, unknown>): Record<string, unknown> {
  const base = value.base_image;
  if (!isObj(base)) return value;
  const auth = base.docker_auth;
  if (!isObj(auth) || typeof auth.auth_method !== 'string') return value;
  return {
    ...value,
    base_image: { ...base, docker_auth: { ...auth, auth_method: auth.auth_method.toUpperCase() } },
  };
}

function upperWeightsAuth(value: Record<string, unknown>): Record<string, unknown> {
  const weights: unknown = value.weights;
  if (!Array.isArray(weights)) return value;
  return {
    ...value,
    weights: (weights as unknown[]).map((w) =>
      isObj(w) && isObj(w.auth) && typeof w.auth.auth_method === 'string'
        ? { ...w, auth: { ...w.auth, auth_method: w.auth.auth_method.toUpperCase() } }
        : w,
    ),
  };
}
