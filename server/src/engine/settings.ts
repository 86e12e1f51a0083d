import type { DetectMode } from '../core/detect';
import type { Severity } from '../core/types';

/** The settings the editor and the checker share. */
export interface Settings {
  enable: boolean;
  detect: DetectMode;
  /** Globs of the files treated as Truss configs. */
  files: string[];
  /** Severity per code, or `off`. */
  rules: Record<string, Severity | 'off'>;
}

export const DEFAULT_FILES = ['**/config.yaml', '**/config.yml'];
export const DEFAULT_SETTINGS: Settings = { enable: true, detect: 'auto', files: DEFAULT_FILES, rules: {} };
const LEVELS = new Set(['error', 'warning', 'information', 'hint', 'off']);

/**
 * Settings from their JSON form (the editor's `trussConfig` section, or the checker's --config
 * file); bad values fall back to defaults.
 */
export function settingsFrom(raw: unknown): Settings {
  const r = (raw ?? {}) as { validate?: { enable?: unknown }; detect?: unknown; files?: unknown; rules?: unknown };
  const detect = r.detect === 'always' || r.detect === 'never' ? r.detect : 'auto';
  const files = Array.isArray(r.files) && r.files.every((f) => typeof f === 'string') ? r.files : DEFAULT_FILES;
  const rules: Settings['rules'] = {};
  if (r.rules && typeof r.rules === 'object') {
    for (const [code, level] of Object.entries(r.rules)) {
      if (typeof level === 'string' && LEVELS.has(level)) rules[code] = level as Severity | 'off';
    }
  }
  return { enable: r.validate?.enable !== false, detect, files, rules };
}
