// @ts-check
// The targets the rows are held to: the text shown in the table and whether a figure meets it
// (`pass` undefined: not measured, SKIP).
import { MB } from './stats.mjs';

/** @typedef {{ target: string, pass: boolean | undefined }} Target */

/**
 * Any kind of edit → diagnostics on a real config: `net` is yaml-language-server's p50 net of its delay ÷
 * ours, `floor` an empty round trip plus a parse of the same texts. The ratios are shown in the target.
 * @param {boolean} withYls
 * @param {number} ms
 * @param {number | undefined} net
 * @param {number} floor
 * @returns {Target}
 */
export const realEdit = (withYls, ms, net, floor) => {
  const times = (/** @type {number | undefined} */ x) => (x === undefined ? '—' : `${x.toFixed(1)}×`);
  const ofFloor = `≤ 2× floor (${times(ms / floor)})`;
  return {
    target: withYls ? `≥ 3× net of its delay (${times(net)}), ${ofFloor}` : ofFloor,
    pass: (net === undefined || net >= 3) && ms <= floor * 2,
  };
};

/**
 * Typing in a value → diagnostics on the 10,000-line file.
 * @param {boolean} withYls
 * @param {number} ms
 * @param {number | undefined} ylsMs
 * @returns {Target}
 */
export const bigEdit = (withYls, ms, ylsMs) => ({
  target: withYls ? '≤ 60 ms, ≤ ¼ of yaml-language-server' : '≤ 60 ms',
  pass: ms <= 60 && (ylsMs === undefined || ms <= ylsMs / 4),
});

/**
 * Any other kind of edit → diagnostics on the 10,000-line file (not measured without yaml-language-server).
 * @param {number} ms
 * @param {number | undefined} ylsMs
 * @returns {Target}
 */
export const bigKind = (ms, ylsMs) => ({
  target: '≤ ¼ of yaml-language-server',
  pass: ylsMs === undefined ? undefined : ms <= ylsMs / 4,
});

/**
 * The edit's growth from 1,000 to 10,000 lines.
 * @param {number} times
 * @returns {Target}
 */
export const growth = (times) => ({ target: '≤ 11× (10× = linear)', pass: times <= 11 });

/**
 * The client's flags against node's defaults on the 10,000-line file.
 * @param {number} ms
 * @param {number} defaultsMs
 * @returns {Target}
 */
export const flagsCost = (ms, defaultsMs) => ({ target: '≤ +10%', pass: ms <= defaultsMs * 1.1 });

/**
 * @param {number} ms spawn → first diagnostics
 * @param {number} bareMs node's bare start-up in the same run
 * @returns {Target}
 */
export const start = (ms, bareMs) => ({ target: "≤ 2× node's bare start", pass: ms <= 2 * bareMs });

/**
 * Completion or hover; `ratio`: yaml-language-server's p50 ÷ ours.
 * @param {boolean} withYls
 * @param {number} ms
 * @param {number | undefined} ratio
 * @returns {Target}
 */
export const feature = (withYls, ms, ratio) => ({
  target: withYls ? '≤ 5 ms, ≤ ½ of yaml-language-server' : '≤ 5 ms',
  pass: ms <= 5 && (ratio === undefined || ratio >= 2),
});

/**
 * @param {number | undefined} mb RSS with the memory set open (undefined: not read, a miss)
 * @returns {Target}
 */
export const memory = (mb) => ({ target: '≤ 65 MB', pass: mb !== undefined && mb <= 65 });

/**
 * @param {number | undefined} mb RSS with the Truss folders open, config and model code
 * @returns {Target}
 */
export const trussMemory = (mb) => ({ target: '≤ 80 MB', pass: mb !== undefined && mb <= 80 });

/**
 * @param {number} mb the live heap's growth from 1 pass to the last
 * @returns {Target}
 */
export const leak = (mb) => ({ target: 'no leak (≤ +2 MB)', pass: mb <= 2 });

/**
 * @param {number} ms spawn → the last config's diagnostics
 * @returns {Target}
 */
export const scan = (ms) => ({ target: '≤ 10,000 ms', pass: ms <= 10000 });

/**
 * @param {number | undefined} bytes the server's RSS during the scan (undefined without /proc)
 * @returns {Target}
 */
export const scanMemory = (bytes) => ({
  target: '≤ 150 MB',
  pass: bytes === undefined ? undefined : bytes <= 150 * MB,
});

/**
 * @param {boolean} exact every config found, with and without problems, and nothing else
 * @returns {Target}
 */
export const scanFinds = (exact) => ({ target: 'all found, nothing else', pass: exact });

/**
 * @param {number | undefined} ms completion p50 while the workspace is scanned (undefined: none sent)
 * @returns {Target}
 */
export const typingCompletion = (ms) => ({ target: '≤ 20 ms', pass: ms === undefined ? undefined : ms <= 20 });

/**
 * @param {boolean} ok a burst of changes published in order, the last the final version, stale ones skipped
 * @returns {Target}
 */
export const burst = (ok) => ({ target: 'in order, last = final, stale skipped', pass: ok });

/**
 * @param {boolean} ok a completion cancelled in flight is answered as cancelled or empty
 * @returns {Target}
 */
export const cancellation = (ok) => ({ target: 'honoured', pass: ok });

/**
 * @param {number | undefined} ms the checker over the corpus (undefined: no corpus)
 * @returns {Target}
 */
export const checker = (ms) => ({ target: '≤ 600 ms', pass: ms === undefined ? undefined : ms <= 600 });

/**
 * @param {number} perSecond
 * @returns {Target}
 */
export const checkerRate = (perSecond) => ({ target: '≥ 700/s', pass: perSecond >= 700 });

/**
 * @param {number | undefined} bytes the .vsix (undefined: not built)
 * @returns {Target}
 */
export const vsix = (bytes) => ({ target: '≤ 1,024 KB', pass: bytes === undefined ? undefined : bytes <= 1024 * 1024 });

/**
 * Reading a 2,000-line model file: a parse (@lezer/python) and the secrets it reads.
 * @param {number} ms
 * @returns {Target}
 */
export const modelRead = (ms) => ({ target: '≤ 150 ms', pass: ms <= 150 });

/**
 * Typing in config.yaml beside a 2,000-line model file, against the same config without model code: no
 * slower (within 20%, or 0.2 ms, of it).
 * @param {number} withMs
 * @param {number} withoutMs
 * @returns {Target}
 */
export const typingWithCode = (withMs, withoutMs) => ({
  target: 'no slower (≤ 1.2× or +0.2 ms)',
  pass: withMs <= withoutMs * 1.2 || withMs - withoutMs <= 0.2,
});

/**
 * A rename across config.yaml and a 2,000-line model.py, verified.
 * @param {number} ms
 * @returns {Target}
 */
export const renameAcross = (ms) => ({ target: '≤ 150 ms', pass: ms <= 150 });
