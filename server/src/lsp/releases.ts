/**
 * The truss release each document is judged by: the pin of `trussConfig.truss.version`, else the
 * truss found for its folder (environment/truss.ts, from files only), once per folder until the
 * settings or the environment's files change. Detection is a few file reads, never Python.
 */
import { dirname } from 'node:path';
import { NEWEST, isNewer } from '../core/truss/release';
import { type ShippedSchema, shippedItems } from '../core/truss/shippedSchema';
import type { Settings } from '../engine/settings';
import { type FoundTruss, findTruss, shippedSchema } from '../environment/truss';
import { filePathOf } from './uris';

/** What the status item shows: the release in force and where it came from. */
export interface ReleaseInForce {
  version: string;
  /** `setting`, `interpreter`, `venv`, `path`, `requirements`, or `default` (none found). */
  source: string;
  where: string;
}

/** A file whose change may change the truss found: an environment, a pin, a requirements file. */
export function isEnvironmentFile(uri: string): boolean {
  return /(?:^|\/)(?:pyvenv\.cfg|requirements(?:-dev)?\.txt|pyproject\.toml|METADATA)$/.test(uri);
}

export class Releases {
  private readonly byKey = new Map<string, FoundTruss | undefined>();
  /** The schema each newer truss ships, by its site-packages. */
  private readonly schemas = new Map<string, ShippedSchema | undefined>();
  /** The interpreter VS Code's Python extension chose, per workspace folder path. */
  private interpreters = new Map<string, string>();

  constructor(
    /** The workspace folder (a path) that holds a file, where the upward search stops. */
    private readonly rootOf: (file: string) => string | undefined,
  ) {}

  /** The release a document is judged by; undefined when none is pinned or found (the newest is used). */
  for(uri: string, s: Settings): string | undefined {
    return this.found(uri, s)?.version;
  }

  /** The interpreter to ask truss with: `trussConfig.truss.pythonPath`, else the one truss was found in. */
  python(uri: string, s: Settings): string | undefined {
    return s.truss.pythonPath ?? this.detected(uri, s)?.python;
  }

  /** What the schema of a truss newer than our data knows, when it ships one (not for a pinned release). */
  shipped(uri: string, s: Settings): ShippedSchema | undefined {
    const found = s.truss.version ? undefined : this.detected(uri, s);
    if (!found?.site || !isNewer(found.version)) return undefined;
    if (!this.schemas.has(found.site)) {
      const schema = shippedSchema(found);
      const items = schema === undefined ? undefined : shippedItems(schema);
      this.schemas.set(found.site, items && { version: found.version, items });
    }
    return this.schemas.get(found.site);
  }

  /** The release in force for the status item. */
  inForce(uri: string, s: Settings): ReleaseInForce {
    const f = this.found(uri, s);
    return f
      ? { version: f.version, source: f.source, where: f.where }
      : { version: NEWEST, source: 'default', where: 'no truss found' };
  }

  setInterpreters(byFolder: Map<string, string>): void {
    this.interpreters = byFolder;
    this.clear();
  }

  /** The settings or the environment changed: detect again. */
  clear(): void {
    this.byKey.clear();
    this.schemas.clear();
  }

  private found(uri: string, s: Settings): FoundTruss | undefined {
    if (s.truss.version) return findTruss({ folder: '.', pin: s.truss.version });
    return this.detected(uri, s);
  }

  /** The truss installed for a document's folder, pin or not. */
  private detected(uri: string, s: Settings): FoundTruss | undefined {
    const file = filePathOf(uri);
    if (file === undefined) return undefined;
    const folder = dirname(file);
    const root = this.rootOf(file);
    const python = s.truss.pythonPath ?? (root === undefined ? undefined : this.interpreters.get(root));
    const key = `${folder}\u0000${python ?? ''}`;
    if (!this.byKey.has(key)) {
      this.byKey.set(key, findTruss({ folder, root, python, path: process.env.PATH }));
    }
    return this.byKey.get(key);
  }
}
