/** Nearest-rank percentile (q in 0..1) of a list of numbers; undefined for an empty list. */
export function percentile(values, q) {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1];
}

export function median(values) {
  return percentile(values, 0.5);
}

export function summary(values) {
  return {
    n: values.length,
    p50: percentile(values, 0.5),
    p90: percentile(values, 0.9),
    min: values.length ? Math.min(...values) : undefined,
    max: values.length ? Math.max(...values) : undefined,
  };
}

export function round(x, digits = 2) {
  if (x === undefined || x === null || Number.isNaN(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export const MB = 1024 * 1024;
