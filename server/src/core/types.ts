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

/** A quick fix: edits to the current text of the document. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  preferred?: boolean;
  /** Mechanical and sure to be what truss wants: the checker's --fix applies it. */
  safe?: boolean;
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
}

export const DOCS = {
  privateRegistries: 'https://docs.baseten.co/development/model/private-registries',
  secrets: 'https://docs.baseten.co/development/model/secrets',
  organizationSecrets: 'https://docs.baseten.co/organization/secrets',
  reference: 'https://docs.baseten.co/reference/truss-configuration',
} as const;
