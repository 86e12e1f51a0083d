import { secretIdentity } from './secretNames';

/**
 * Optimal string alignment distance (Levenshtein plus adjacent swaps). Past `cutoff` it stops early and
 * answers `cutoff + 1`: a row whose smallest value is over the cutoff cannot lead below it.
 */
export function editDistance(a: string, b: string, cutoff = Infinity): number {
  const m = a.length;
  const n = b.length;
  if (m === 0) return n;
  if (n === 0) return m;
  if (Math.abs(m - n) > cutoff) return cutoff + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur.push(d);
    }
    if (Math.min(...cur) > cutoff) return cutoff + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[n];
}

const FUZZY_CANDIDATES = 500;

/** Names prepared once (lower case, secret identity) for many `closest` searches among them. */
export class Candidates {
  readonly names: string[];
  readonly lower: string[];
  readonly ids: string[];
  constructor(names: Iterable<string>) {
    this.names = [...new Set(names)];
    this.lower = this.names.map((c) => c.toLowerCase());
    this.ids = this.names.map((c) => secretIdentity(c).toLowerCase());
  }
}

/**
 * The candidates close enough to `name` to be a typo of it, best first.
 * Close means equal as Baseten compares secret names, or equal ignoring case, or within an edit
 * distance of about a third of the length. Past `fuzzyUpTo` candidates, only the first two count.
 */
export function closest(
  name: string,
  candidates: Iterable<string> | Candidates,
  max = 3,
  fuzzyUpTo = FUZZY_CANDIDATES,
): string[] {
  const norm = secretIdentity(name).toLowerCase();
  const lower = name.toLowerCase();
  const limit = Math.max(1, Math.min(4, Math.floor(name.length / 3)));
  const all = candidates instanceof Candidates ? candidates : new Candidates(candidates);
  // Beyond this many candidates only same-name spellings are looked for: a typo search over thousands
  // of names costs more than it is worth on every keystroke.
  const fuzzy = all.names.length <= fuzzyUpTo;
  const scored: Array<[string, number]> = [];
  for (let i = 0; i < all.names.length; i++) {
    const c = all.names[i];
    if (c === name) continue;
    // The edit distance is at least the difference in length: most candidates stop here.
    if (Math.abs(c.length - name.length) > limit) continue;
    const same = all.ids[i] === norm;
    const d = same ? 0 : fuzzy ? editDistance(lower, all.lower[i], limit) : limit + 1;
    if (d <= limit) scored.push([c, d]);
  }
  scored.sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0]));
  return scored.slice(0, max).map(([c]) => c);
}
