import type { ConfigFacts } from './truss/facts';
import type { ParsedDocument } from './yaml/parse';
import type { Finding } from './types';
import type { BasetenSecrets } from './truss/basetenSecrets';
import type { ModelCode } from './truss/modelCode';

/** Everything known about one version of a document: shared by every feature. */
export interface Analysis {
  parsed: ParsedDocument;
  facts: ConfigFacts;
  /** False for a config.yaml that is not a Truss config: it gets no findings. */
  truss: boolean;
  /** Why it is or is not a Truss config, when its keys and folder decided (detect mode `auto`). */
  why?: string;
  findings: Finding[];
  /** The Baseten workspace's secret names the analysis compared with, when known. */
  baseten?: BasetenSecrets;
  /** The truss release it was judged by, when known. */
  release?: string;
  /** The Truss's model code the analysis read, when the caller gave it. */
  code?: ModelCode;
  /** Rules that threw (a bug of ours): the other rules still ran. */
  internalErrors: Array<{ rule: string; error: unknown }>;
}
