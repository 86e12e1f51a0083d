import { isObj } from './values';

/**
 * The document as truss validates it: truss's own pre-processing applied
 * (an empty file is `{}`, `auth_method` is upper-cased before the enum check).
 * Only the changed path is copied; the input is not modified.
 */
export function asTrussSees(value: unknown): unknown {
  if (value === null || value === undefined) return {};
  if (!isObj(value)) return value;
  return upperWeightsAuth(upperDockerAuth(value));
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
