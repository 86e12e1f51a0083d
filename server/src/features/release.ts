/** What completion and hover say of a key or value that not every truss release knows. */
import { compareVersions, knows, lifetime, OLDEST } from '../core/truss/release';

/** "needs truss ≥ 0.13.2" (or "dropped after truss X") when the user's release does not know the item. */
export function needs(item: string | undefined, release: string | undefined): string | undefined {
  if (!item || !release || knows(item, release) !== false) return undefined;
  const life = lifetime(item);
  if (!life) return undefined;
  return compareVersions(release, life.since) < 0 ? `needs truss ≥ ${life.since}` : `dropped after truss ${life.until}`;
}

/** A hover's line on the releases that know the item; empty for what every release we know has. */
export function releaseLine(item: string | undefined, release: string | undefined): string {
  const life = item ? lifetime(item) : undefined;
  if (!life || (life.since === OLDEST && !life.until)) return '';
  const span = life.since === OLDEST ? `Until truss ${life.until}` : `Since truss ${life.since}`;
  const until = life.since !== OLDEST && life.until ? `, until ${life.until}` : '';
  const yours = release ? needs(item, release) : undefined;
  return `\n\n*${span}${until}.*${yours ? ` Your truss ${release} does not know it: ${yours}.` : ''}`;
}
