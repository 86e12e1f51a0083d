/** 0-based line and UTF-16 character, as in LSP. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface TextEdit {
  range: Range;
  newText: string;
}

/**
 * One change a fix means to make to the value truss loads, at a path of keys (list indexes as text):
 * the value becomes `to` (omitted: any value, but there), the entry goes (`removed`), or it moves to
 * the sibling key `renamedTo` with its value unchanged.
 */
export type Change =
  | { path: string[]; to?: unknown; removed?: undefined; renamedTo?: undefined }
  | { path: string[]; removed: true; to?: undefined; renamedTo?: undefined }
  | { path: string[]; renamedTo: string; to?: undefined; removed?: undefined };

/** A quick fix: edits to the current text of the document. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  preferred?: boolean;
  /** Mechanical and sure to be what truss wants: the checker's --fix applies it. */
  safe?: boolean;
  /**
   * What the fix means to change in the loaded value; nothing else may change (engine/verify.ts).
   * Absent: nothing (a fix of the text alone, such as quoting a key).
   */
  intent?: Change[];
  /**
   * Edits of the Truss's model code files, by path relative to the config's folder (the declare fix of
   * a Python finding edits the config; the rename fix edits a Python file). Verified with the config.
   */
  files?: Record<string, TextEdit[]>;
}

/** One problem found in a document. `data` carries what a quick fix needs. */
export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  range: Range;
  /** Documentation for this kind of problem. */
  href?: string;
  data?: unknown;
  /** The model code file it is in, relative to the config's folder; absent: the config itself. */
  file?: string;
}

export const DOCS = {
  privateRegistries: 'https://docs.baseten.co/development/model/private-registries',
  secrets: 'https://docs.baseten.co/development/model/secrets',
  organizationSecrets: 'https://docs.baseten.co/organization/secrets',
  reference: 'https://docs.baseten.co/reference/truss-configuration',
} as const;
