// @ts-check
// Statistics of the benchmark's samples.

/** @typedef {{ n: number, p50: number, p90: number, min: number, max: number }} Summary */

/**
 * Nearest-rank percentile (q in 0..1) of a list of numbers; undefined for an empty list.
 * @param {number[]} values
 * @param {number} q
 * @returns {number | undefined}
 */
export function percentile(values, q) {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1];
}

/**
 * @param {number[]} values
 * @returns {number | undefined}
 */
export function median(values) {
  return percentile(values, 0.5);
}

/**
 * p50, p90, min and max of a list that has samples (throws on an empty list).
 * @param {number[]} values
 * @returns {Summary}
 */
export function summary(values) {
  if (!values.length) throw new Error('summary of no samples');
  return {
    n: values.length,
    p50: /** @type {number} */ (percentile(values, 0.5)),
    p90: /** @type {number} */ (percentile(values, 0.9)),
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

/**
 * summary() of a list that may be empty: only `n` then.
 * @param {number[]} values
 * @returns {Partial<Summary> & { n: number }}
 */
export function maybeSummary(values) {
  return values.length ? summary(values) : { n: 0 };
}

/**
 * @overload
 * @param {number} x
 * @param {number} [digits]
 * @returns {number}
 */
/**
 * @overload
 * @param {number | undefined} x
 * @param {number} [digits]
 * @returns {number | undefined}
 */
/**
 * `x` rounded to `digits` decimals; undefined and NaN stay as they are.
 * @param {number | undefined} x
 * @param {number} [digits]
 */
export function round(x, digits = 2) {
  if (x === undefined || Number.isNaN(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export const MB = 1024 * 1024;

/**
 * Bytes in MB, to one decimal.
 * @param {number | undefined} bytes
 */
export const inMB = (bytes) => round(bytes === undefined ? undefined : bytes / MB, 1);
