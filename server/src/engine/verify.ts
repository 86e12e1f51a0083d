/**
 * Every edit is checked against what it means to do before it is offered or applied: the result is
 * read as truss reads it and compared with the text before. A fix or a rename declares its intent
 * (`Fix.intent`); the check refuses edits that overlap, a result that no longer loads, a loaded value
 * that changed outside the intent or not as it says, a comment that is gone, a finding it was meant to
 * fix that is still there, and an error that was not there. Reasons never quote the file.
 */
import type { Analysis } from '../core/analysis';
import type { Change, Finding, Fix, TextEdit } from '../core/types';
import { comments } from '../core/yaml/repair';
import { offsetOf, pythonSecrets } from '../core/python/secretReads';
import type { CodeFile, ModelCode } from '../core/truss/modelCode';
import { type AnalyzeOptions, analyze } from './analyze';

/** The text with edits applied, or undefined when two of them overlap (their order would decide). */
export function applyEdits(analysis: Analysis, edits: TextEdit[]): string | undefined {
  const { parsed } = analysis;
  const spans = edits
    .map((e) => ({ start: parsed.offset(e.range.start), end: parsed.offset(e.range.end), text: e.newText }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < spans.length; i++) {
    const [a, b] = [spans[i - 1], spans[i]];
    if (b.start < a.end || (b.start === a.start && a.start === a.end)) return undefined;
  }
  let text = parsed.text;
  for (const s of spans.reverse()) text = text.slice(0, s.start) + s.text + text.slice(s.end);
  return text;
}

export interface Verdict {
  /** The text the edits make (when they apply). */
  text?: string;
  /** Why the edits are refused; undefined when they do what they mean to. */
  refused?: string;
  /** The texts of the model code files the edits change, by path. */
  files?: Record<string, string>;
}

/**
 * Checks `fix` against the analysis it was computed from. `fixes`: the findings it is meant to fix
 * (each must be gone); `options`: the analysis options, for the findings after.
 */
export function verify(analysis: Analysis, fix: Fix, fixes: Finding[], options: AnalyzeOptions = {}): Verdict {
  const text = applyEdits(analysis, fix.edits);
  if (text === undefined) return { refused: 'its edits overlap' };
  const edited = codeAfter(analysis.code, fix.files);
  if (typeof edited === 'string') return { refused: edited };
  const { code, spans } = edited;
  const after = analyze(text, { ...options, code, detect: 'always' });
  const refused =
    judge(analysis, after, fix.intent ?? [], fixes, fix.edits) ??
    codeProblem(analysis.code, code, spans) ??
    leftBehind(code, fix.intent ?? []);
  return { text, refused, files: fix.files && code ? filesOf(code, fix.files) : undefined };
}

interface Span {
  start: number;
  end: number;
  text: string;
}

/** The model code with a fix's edits of its files applied (and the edits as offsets, by path), or why not. */
function codeAfter(
  code: ModelCode | undefined,
  files: Fix['files'],
): { code: ModelCode | undefined; spans: Map<string, Span[]> } | string {
  const spans = new Map<string, Span[]>();
  if (!files || Object.keys(files).length === 0) return { code, spans };
  if (!code) return 'it edits model code the analysis did not read';
  if (Object.keys(files).some((p) => !code.files.some((f) => f.path === p))) return 'it edits a file outside the Truss';
  const out: CodeFile[] = [];
  for (const f of code.files) {
    const edits = files[f.path];
    if (!edits) {
      out.push(f);
      continue;
    }
    const found = pythonSecrets(f.text);
    const sorted = edits
      .map((e) => ({
        start: offsetOf(found, f.text.length, e.range.start.line, e.range.start.character),
        end: offsetOf(found, f.text.length, e.range.end.line, e.range.end.character),
        text: e.newText,
      }))
      .sort((a, b) => a.start - b.start || a.end - b.end);
    for (let i = 1; i < sorted.length; i++) if (sorted[i].start < sorted[i - 1].end) return 'its edits overlap';
    let text = f.text;
    for (const s of [...sorted].reverse()) text = text.slice(0, s.start) + s.text + text.slice(s.end);
    out.push({ path: f.path, text });
    spans.set(f.path, sorted);
  }
  return { code: { files: out }, spans };
}

/**
 * An edit of the model code may change only the names it means to: each read whose name an edit
 * replaces must read the edit's text after, every other read keep its name, and no read may appear,
 * go, or change its form or its guard.
 */
function codeProblem(
  before: ModelCode | undefined,
  after: ModelCode | undefined,
  spans: Map<string, Span[]>,
): string | undefined {
  if (!before || !after || before === after) return undefined;
  for (let i = 0; i < before.files.length; i++) {
    const edits = spans.get(before.files[i].path);
    if (!edits) continue;
    const [a, b] = [pythonSecrets(before.files[i].text), pythonSecrets(after.files[i].text)];
    const what = `it would change what ${before.files[i].path} reads`;
    if (a.reads.length !== b.reads.length) return what;
    for (let r = 0; r < a.reads.length; r++) {
      const [was, now] = [a.reads[r], b.reads[r]];
      const edit = edits.find((e) => e.start < was.to && e.end > was.from);
      const exact = edits.find((e) => e.start === was.from && e.end === was.to);
      if (edit && !exact) return what; // an edit that cuts a name
      const expected = exact ? exact.text : was.name;
      if (now.name !== expected || now.kind !== was.kind || now.guard !== was.guard) return what;
    }
  }
  return undefined;
}

/** A declared secret renamed is read by its old name nowhere in the model code after. */
function leftBehind(code: ModelCode | undefined, intent: Change[]): string | undefined {
  const renamed = new Set(
    intent
      .filter((c) => c.renamedTo !== undefined && c.path.length === 2 && c.path[0] === 'secrets')
      .map((c) => c.path[1]),
  );
  if (!renamed.size || !code) return undefined;
  const file = code.files.find((f) => pythonSecrets(f.text).reads.some((r) => renamed.has(r.name)));
  return file && `${file.path} would still read the old name`;
}

function filesOf(code: ModelCode, files: NonNullable<Fix['files']>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of code.files) if (files[f.path]) out[f.path] = f.text;
  return out;
}

function judge(
  before: Analysis,
  after: Analysis,
  intent: Change[],
  fixes: Finding[],
  edits: TextEdit[],
): string | undefined {
  const loads = (a: Analysis) => !a.parsed.problems.some((p) => p.severity === 'error');
  if (loads(before) && !loads(after)) return 'the YAML would no longer load';
  if (before.parsed.valueError === undefined && after.parsed.valueError !== undefined) {
    return 'truss could no longer read the value';
  }
  const wrong = valueProblem(before.parsed.value, after.parsed.value, intent);
  if (wrong) return wrong;
  if (lostComment(before, after, intent, edits)) return 'it would drop a comment';
  const count = (a: Analysis, f: Finding) => a.findings.filter((x) => x.code === f.code && x.message === f.message);
  for (const f of fixes) {
    if (count(after, f).length >= count(before, f).length) return `\`${f.code}\` would still be reported`;
  }
  const errors = (a: Analysis) => {
    const n = new Map<string, number>();
    for (const f of a.findings) if (f.severity === 'error') n.set(f.code, (n.get(f.code) ?? 0) + 1);
    return n;
  };
  const [was, now] = [errors(before), errors(after)];
  for (const [code, n] of now) if (n > (was.get(code) ?? 0)) return `it would cause \`${code}\``;
  return undefined;
}

const ABSENT = Symbol('absent');

/** The value at a path of keys, or ABSENT. */
function at(value: unknown, path: string[]): unknown {
  let v: unknown = value;
  for (const key of path) {
    if (Array.isArray(v) && /^\d+$/.test(key) && Number(key) < v.length) v = v[Number(key)];
    else if (isRecord(v) && Object.hasOwn(v, key)) v = v[key];
    else return ABSENT;
  }
  return v;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Set);
}

/** Why the loaded value changed other than the intent says, or undefined. */
function valueProblem(before: unknown, after: unknown, intent: Change[]): string | undefined {
  for (const c of intent) {
    const now = at(after, c.path);
    if (c.removed) {
      if (now !== ABSENT) return 'it would not remove what it says';
    } else if (c.renamedTo !== undefined) {
      const moved = at(after, [...c.path.slice(0, -1), c.renamedTo]);
      if (now !== ABSENT || !equal(moved, at(before, c.path))) return 'it would not rename what it says';
    } else if (now === ABSENT || ('to' in c && c.to !== undefined && !equal(now, c.to))) {
      return 'it would not set what it says';
    }
  }
  const covered = (path: string[]) =>
    intent.some((c) => {
      const targets = c.renamedTo === undefined ? [c.path] : [c.path, [...c.path.slice(0, -1), c.renamedTo]];
      return targets.some((t) => t.length <= path.length && t.every((k, i) => k === path[i]));
    });
  const differs = (a: unknown, b: unknown, path: string[]): boolean => {
    if (covered(path)) return false;
    // A mapping that appears, or stops being empty, is compared key by key (an added key is the change).
    const asMap = (v: unknown) => (v === ABSENT || v === null ? {} : v);
    const [x, y] = [asMap(a), asMap(b)];
    if (isRecord(x) && isRecord(y)) {
      const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
      return [...keys].some((k) => differs(k in x ? x[k] : ABSENT, k in y ? y[k] : ABSENT, [...path, k]));
    }
    if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
      return a.some((item, i) => differs(item, b[i], [...path, String(i)]));
    }
    return !equal(a, b);
  };
  return differs(before, after, []) ? 'it would change a value it does not mean to' : undefined;
}

/** Deep equality of loaded values: mappings, lists, sets, dates, NaN. */
export function equal(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (a instanceof Set || b instanceof Set) {
    return a instanceof Set && b instanceof Set && a.size === b.size && [...a].every((x) => b.has(x));
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => equal(x, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && equal(a[k], b[k]));
  }
  return false;
}

/**
 * Whether a comment of the text before is missing after. A fix that removes or renames an entry may
 * take the comments inside the text it replaces with it; no other comment may go.
 */
function lostComment(before: Analysis, after: Analysis, intent: Change[], edits: TextEdit[]): boolean {
  const { parsed } = before;
  const removes = intent.some((c) => c.removed || c.renamedTo !== undefined);
  const replaced = edits.map((e) => [parsed.offset(e.range.start), parsed.offset(e.range.end)]);
  const mayGo = (offset: number) => removes && replaced.some(([s, e]) => s <= offset && offset < e);
  const left = new Map<string, number>();
  for (const c of comments(after.parsed.text)) left.set(c.text.trim(), (left.get(c.text.trim()) ?? 0) + 1);
  for (const c of comments(parsed.text)) {
    if (mayGo(c.offset)) continue;
    const n = left.get(c.text.trim()) ?? 0;
    if (n === 0) return true;
    left.set(c.text.trim(), n - 1);
  }
  return false;
}
