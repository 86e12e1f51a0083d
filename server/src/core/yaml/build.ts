import { type Alias, type Node, type YAMLMap, isAlias, isMap, isScalar, isSeq } from 'yaml';
import { Bytes } from './pyyaml';

/** Nodes an alias may bring in, all aliases together: more is a "billion laughs" document, not checked. */
const ALIAS_EXPANSION_LIMIT = 100_000;

/** What PyYAML makes of a collection: `!!set`, `!!omap` and `!!pairs` change it. */
export type Kind = 'map' | 'set' | 'seq' | 'pairs';

/** Scalars whose JS value hides what Python holds: a float (`1.0`, `.nan`), `!!binary` bytes. */
export type ScalarKind = 'float' | 'binary';

/**
 * A value whose JS form loses what truss's model sees, at its path in the value: a float with no
 * fraction or not finite (`1.0` is a float to pydantic, `1` to JavaScript), bytes from `!!binary` (UTF-8
 * text or Bytes), a date or time, a set, and a mapping key that is not a string (`key`: the path ends
 * with the key's text).
 */
export interface Special {
  path: string[];
  kind: 'float' | 'binary' | 'bytes' | 'date' | 'set' | 'key';
}

export class Recursive extends Error {}
export class TooManyAliases extends Error {}

/** A path as a linked list, made into an array only for a special value. */
type Path = { parent: Path; key: string } | undefined;
function pathOf(p: Path): string[] {
  const out: string[] = [];
  for (let q = p; q; q = q.parent) out.push(q.key);
  return out.reverse();
}

/** The value SafeLoader builds from the checked tree, as plain JS (see ParsedDocument.value). */
export class Builder {
  private expanded = 0;
  /** Inside a mapping key: its values are not where the config's fields are. */
  private inKey = 0;
  private readonly building = new Set<Node>();
  readonly specials: Special[] = [];

  constructor(
    private readonly targets: Map<Alias, Node>,
    private readonly kinds: Map<Node, Kind>,
    private readonly scalars: Map<Node, ScalarKind>,
  ) {}

  build(node: unknown, viaAlias = false, path: Path = undefined): unknown {
    if (isAlias(node)) {
      const target = this.targets.get(node);
      return target ? this.build(target, true, path) : null;
    }
    if (!node || typeof node !== 'object') return null;
    const n = node as Node;
    if (viaAlias && ++this.expanded > ALIAS_EXPANSION_LIMIT) throw new TooManyAliases();
    if (isScalar(n)) {
      const v = n.value ?? null;
      const kind = this.scalars.get(n);
      if (this.inKey) return v;
      if (kind === 'float' && typeof v === 'number' && (Number.isInteger(v) || !Number.isFinite(v))) {
        this.specials.push({ path: pathOf(path), kind: 'float' });
      } else if (kind === 'binary')
        this.specials.push({ path: pathOf(path), kind: v instanceof Bytes ? 'bytes' : 'binary' });
      else if (v instanceof Date) this.specials.push({ path: pathOf(path), kind: 'date' });
      return v;
    }
    if (this.building.has(n)) throw new Recursive();
    this.building.add(n);
    try {
      if (isSeq(n)) {
        if (this.kinds.get(n) === 'pairs') {
          return n.items.map((item, i) => {
            const pair = (this.resolveAlias(item) as YAMLMap).items[0];
            const at = { parent: path, key: String(i) };
            const key = this.build(pair.key, viaAlias, { parent: at, key: '0' });
            return [key, this.build(pair.value, viaAlias, { parent: at, key: '1' })];
          });
        }
        return n.items.map((item, i) => this.build(item, viaAlias, { parent: path, key: String(i) }));
      }
      if (isMap(n)) {
        const set = this.kinds.get(n) === 'set';
        // Python keeps the first key of equal keys (1, 1.0 and true are one key) and the last value.
        const entries = new Map<string, [unknown, unknown]>();
        for (const pair of n.items) {
          this.inKey++;
          let key: unknown;
          try {
            key = this.build(pair.key, viaAlias);
          } finally {
            this.inKey--;
          }
          const id = keyIdentity(key, this.scalars.get(this.resolveAlias(pair.key) as Node) === 'binary');
          const at = { parent: path, key: keyText(key) };
          const value = set ? null : this.build(pair.value, viaAlias, at);
          const seen = entries.get(id);
          entries.set(id, [seen ? seen[0] : key, value]);
        }
        if (set) {
          if (!this.inKey) this.specials.push({ path: pathOf(path), kind: 'set' });
          return new Set([...entries.values()].map(([k]) => k));
        }
        const out: Record<string, unknown> = {};
        for (const [k, v] of entries.values()) {
          if (typeof k !== 'string' && !this.inKey)
            this.specials.push({ path: [...pathOf(path), keyText(k)], kind: 'key' });
          out[keyText(k)] = v;
        }
        return out;
      }
      return null;
    } finally {
      this.building.delete(n);
    }
  }

  private resolveAlias(node: unknown): unknown {
    return isAlias(node) ? this.targets.get(node) : node;
  }
}

function keyIdentity(key: unknown, binary: boolean): string {
  if (key === null || key === undefined) return 'null';
  if (typeof key === 'boolean') return `n:${key ? 1 : 0}`;
  if (typeof key === 'number') return `n:${key}`;
  if (key instanceof Date) return `d:${key.getTime()}`;
  return `${binary ? 'b' : 's'}:${keyText(key)}`;
}

/** A mapping key as text: `null`, `true`, numbers as JavaScript prints them, times in ISO form. */
export function keyText(key: unknown): string {
  if (key === null || key === undefined) return 'null';
  if (key instanceof Date) return key.toISOString();
  if (key instanceof Bytes) return key.latin1;
  return typeof key === 'string' || typeof key === 'number' || typeof key === 'boolean' ? String(key) : '';
}
