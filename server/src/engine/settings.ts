import type { DetectMode } from '../core/truss/detect';
import type { Severity } from '../core/types';
import { CODES } from './rules';

/** The settings the editor and the checker share. */
export interface Settings {
  enable: boolean;
  detect: DetectMode;
  /** Globs of the files treated as Truss configs. */
  files: string[];
  /** The folder `files` are relative to, when a project file set them; else they match whole paths. */
  filesRoot?: string;
  /** Globs of files never checked, relative to `ignoreRoot`: from the project file. */
  ignore: string[];
  ignoreRoot?: string;
  /** The project file applied, if any. */
  project?: string;
  /** Severity per code, or `off`. */
  rules: Record<string, Severity | 'off'>;
  /** `workspace`: every Truss config of the workspace is checked, opened or not; `openFiles`: open ones only. */
  scope: 'workspace' | 'openFiles';
  /** `baseten.checkSecrets`: compare secret names with the Baseten workspace (the editor only). */
  basetenCheck: boolean;
  /**
   * `truss.version`: the truss release to judge by; `truss.pythonPath`: the Python it is installed in;
   * `truss.run`: ask that truss itself on open and save (the editor, in a trusted workspace only).
   */
  truss: { version?: string; pythonPath?: string; run?: boolean };
}

export const DEFAULT_FILES = ['**/config.yaml', '**/config.yml'];
export const DEFAULT_SETTINGS: Settings = {
  enable: true,
  detect: 'auto',
  files: DEFAULT_FILES,
  ignore: [],
  rules: {},
  scope: 'workspace',
  basetenCheck: false,
  truss: {},
};
/** A truss release as a user writes it: `0.13.1`, `v0.13.1`, `0.15.0rc2`. */
const RELEASE = /^v?\d+(?:\.\d+)*(?:(?:a|b|rc|\.post|\.dev)\d+)?$/;
export const LEVELS = new Set(['error', 'warning', 'information', 'hint', 'off']);

/**
 * Settings from their JSON form (the editor's `trussConfig` section, or the checker's --config
 * file). What cannot be used falls back to the default, and is named in `problems`, one line each.
 */
export function settingsFrom(raw: unknown): Settings & { problems: string[] } {
  const problems: string[] = [];
  const r = isRecord(raw) ? raw : {};
  if (raw != null && !isRecord(raw)) problems.push('the settings must be an object');
  const validate = r.validate;
  if (validate !== undefined && !(isRecord(validate) && [undefined, true, false].includes(validate.enable as never))) {
    problems.push('`validate.enable` must be true or false');
  }
  let detect: Settings['detect'] = 'auto';
  if (r.detect === 'always' || r.detect === 'never' || r.detect === 'auto') detect = r.detect;
  else if (r.detect !== undefined) problems.push('`detect` must be "auto", "always" or "never"');
  let files = DEFAULT_FILES;
  if (Array.isArray(r.files) && r.files.every((f) => typeof f === 'string')) files = r.files;
  else if (r.files !== undefined) problems.push('`files` must be a list of glob patterns');
  const rules: Settings['rules'] = {};
  if (isRecord(r.rules)) {
    for (const [code, level] of Object.entries(r.rules)) {
      if (!CODES.has(code)) problems.push(`\`rules\` names an unknown code \`${code}\``);
      else if (typeof level !== 'string' || !LEVELS.has(level)) {
        problems.push(`\`rules.${code}\` must be "off", "hint", "information", "warning" or "error"`);
      } else rules[code] = level as Severity | 'off';
    }
  } else if (r.rules !== undefined) problems.push('`rules` must be an object of code: severity');
  let scope: Settings['scope'] = 'workspace';
  if (r.scope === 'openFiles' || r.scope === 'workspace') scope = r.scope;
  else if (r.scope !== undefined) problems.push('`scope` must be "workspace" or "openFiles"');
  const check = isRecord(r.baseten) ? r.baseten.checkSecrets : undefined;
  if (check !== undefined && check !== 'on' && check !== 'off')
    problems.push('`baseten.checkSecrets` must be "on" or "off"');
  const truss: Settings['truss'] = {};
  if (isRecord(r.truss)) {
    const { version, pythonPath, run } = r.truss;
    if (run === true) truss.run = true;
    else if (run !== undefined && run !== false && run !== null) problems.push('`truss.run` must be true or false');
    if (typeof version === 'string' && RELEASE.test(version.trim())) truss.version = version.trim().replace(/^v/, '');
    else if (version !== undefined && version !== '' && version !== null) {
      problems.push('`truss.version` must be a truss release such as "0.13.1", or empty');
    }
    if (typeof pythonPath === 'string' && pythonPath.trim()) truss.pythonPath = pythonPath.trim();
    else if (pythonPath !== undefined && pythonPath !== '' && pythonPath !== null) {
      problems.push('`truss.pythonPath` must be the path of a Python interpreter, or empty');
    }
  } else if (r.truss !== undefined) problems.push('`truss` must be an object');
  const enable = !(isRecord(validate) && validate.enable === false);
  return { enable, detect, files, ignore: [], rules, scope, basetenCheck: check === 'on', truss, problems };
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
