/**
 * What the installed truss said of one config text, when the user opted in to asking it (the
 * checker's `--with-truss`, the editor's `trussConfig.truss.run`): its own config loading
 * (`TrussConfig` from the YAML, then `validate_forbid_extra` where the release has it). Given to the
 * analysis as data, for the text it was asked about only.
 */
export interface TrussError {
  /** pydantic's location (keys and list indexes, with its own tags mixed in); null when truss gave none. */
  loc: Array<string | number> | null;
  /** pydantic's error type (`enum`, `value_error`), or the exception's class. */
  type: string;
  /** truss's message, without the value it was given. */
  msg: string;
  /** `load`: reading the config; `push`: the unknown-key check of `truss push`. */
  stage: 'load' | 'push';
}

export interface TrussAnswer {
  /** The installed truss's version. */
  version: string;
  errors: TrussError[];
}

/** The keys a `validate_forbid_extra` message names (`Extra fields not allowed: [a, b]`), or undefined. */
export function extraKeys(msg: string): string[] | undefined {
  const m = /Extra fields not allowed: \[([^\]]*)\]/.exec(msg);
  return m ? m[1].split(',').map((k) => k.trim()) : undefined;
}
