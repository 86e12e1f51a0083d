import { type Alias, type Node, type YAMLMap, isAlias, isMap, isScalar, isSeq } from 'yaml';

/** Nodes an alias may bring in, all aliases together: more is a "billion laughs" document, not checked. */
const ALIAS_EXPANSION_LIMIT = 100_000;

/** What PyYAML makes of a collection: `!!set`, `!!omap` and `!!pairs` change it. */
export type Kind = 'map' | 'set' | 'seq' | 'pairs';

export class Recursive extends Error {}
export class TooManyAliases extends Error {}

/** The value SafeLoader builds from the checked tree, as plain JS (see ParsedDocument.value). */
export class Builder {
  private expanded = 0;
  private readonly building = new Set<Node>();

  constructor(
    private readonly targets: Map<Alias, Node>,
    private readonly kinds: Map<Node, Kind>,
    private readonly binaryKeys: Set<Node>,
  ) {}

  build(node: unknown, viaAlias = false): unknown {
    if (isAlias(node)) {
      const target = this.targets.get(node);
      return target ? this.build(target, true) : null;
    }
    if (!node || typeof node !== 'object') return null;
    const n = node as Node;
    if (viaAlias && ++this.expanded > ALIAS_EXPANSION_LIMIT) throw new TooManyAliases();
    if (isScalar(n)) return n.value ?? null;
    if (this.building.has(n)) throw new Recursive();
    this.building.add(n);
    try {
      if (isSeq(n)) {
        if (this.kinds.get(n) === 'pairs') {
          return n.items.map((item) => {
            const pair = (this.resolveAlias(item) as YAMLMap).items[0];
            return [this.build(pair.key, viaAlias), this.build(pair.value, viaAlias)];
          });
        }
        return n.items.map((item) => this.build(item, viaAlias));
      }
      if (isMap(n)) {
        // Python keeps the first key of equal keys (1, 1.0 and true are one key) and the last value.
        const entries = new Map<string, [unknown, unknown]>();
        for (const pair of n.items) {
          const key = this.build(pair.key, viaAlias);
          const id = keyIdentity(key, this.binaryKeys.has(this.resolveAlias(pair.key) as Node));
          const value = this.kinds.get(n) === 'set' ? null : this.build(pair.value, viaAlias);
          const seen = entries.get(id);
          entries.set(id, [seen ? seen[0] : key, value]);
        }
        if (this.kinds.get(n) === 'set') return new Set([...entries.values()].map(([k]) => k));
        const out: Record<string, unknown> = {};
        for (const [k, v] of entries.values()) out[keyText(k)] = v;
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
  return typeof key === 'string' || typeof key === 'number' || typeof key === 'boolean' ? String(key) : '';
}
