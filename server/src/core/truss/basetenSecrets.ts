/**
 * The secret names of the Baseten workspace (or team) a config is pushed to: names only, never values.
 * Names are compared as Baseten compares them (`secretIdentity`: every non-alphanumeric character is the
 * same; docs.baseten.co/organization/secrets). An analysis without this list reports nothing about it.
 */
import { secretIdentity } from './secretNames';
import { closest } from './suggest';

/** How many "did you mean" answers are remembered: the names a config uses change rarely. */
const REMEMBERED = 1000;

export class BasetenSecrets {
  private readonly byIdentity = new Map<string, string>();
  private readonly suggested = new Map<string, string[]>();

  constructor(
    readonly names: readonly string[],
    /** The team whose secrets these are, when the organization has teams. */
    readonly team?: string,
  ) {
    for (const n of names) if (!this.byIdentity.has(secretIdentity(n))) this.byIdentity.set(secretIdentity(n), n);
  }

  /** The workspace's spelling of a name, when it has the secret. */
  spelling(name: string): string | undefined {
    return this.byIdentity.get(secretIdentity(name));
  }

  has(name: string): boolean {
    return this.byIdentity.has(secretIdentity(name));
  }

  /** The workspace's names close to `name`, best first. */
  closest(name: string): string[] {
    let found = this.suggested.get(name);
    if (!found) {
      found = closest(name, this.names, 3, Infinity);
      if (this.suggested.size >= REMEMBERED) this.suggested.clear();
      this.suggested.set(name, found);
    }
    return found;
  }

  /** "the Baseten workspace" or "the Baseten team `x`", for messages. */
  get where(): string {
    return this.team ? `the Baseten team \`${this.team}\`` : 'the Baseten workspace';
  }
}
