/**
 * The secrets a Python file of a Truss reads, found on its syntax tree (`@lezer/python`, error-tolerant:
 * a half-typed file still has a tree). The secrets mapping is what truss passes to the model's
 * `__init__` as the `secrets` keyword (`kwargs["secrets"]`, `kwargs.get("secrets")`, a `secrets`
 * parameter), and every name or attribute bound to it; a read is a subscript, `.get(…)` or `in` with a
 * string literal. The literals `/secrets/<name>` and `TRUSS_SECRET_<name>` read the same secret.
 * No regular expression runs over the source: every fact comes from the tree.
 */
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@lezer/python';

export type ReadKind = 'subscript' | 'get' | 'in' | 'path' | 'env';

export interface PythonRead {
  name: string;
  /** Offsets of the name inside the string literal (UTF-16, as the text is indexed). */
  from: number;
  to: number;
  kind: ReadKind;
  /**
   * Why the read cannot raise unguarded: inside a `try` that catches `SecretNotFound`, `Exception` or
   * broader, or under a test of the mapping's truthiness, its length or `_base_secrets`.
   */
  guard?: 'try' | 'if';
  /** Read through a mapping bound with a fallback (`kwargs.get("secrets") or {}`). */
  fallback: boolean;
}

/**
 * A string literal where the code names the secret it reads from the mapping, `secrets["|"]` or
 * `.get("|")`, even empty or not closed yet: where completion offers the declared names.
 */
export interface SecretSlot {
  /** Offsets of the literal's content (after the opening quote, before the closing one if any). */
  from: number;
  to: number;
  kind: 'subscript' | 'get';
}

export interface PythonSecrets {
  reads: PythonRead[];
  /** The literals that name a read of the mapping, for completion. */
  slots: SecretSlot[];
  /** How many names or attributes hold the mapping (its origin included). */
  bindings: number;
  /** The mapping (or `**kwargs`) goes where reads cannot be followed: passed on, iterated, read by a variable. */
  opaque: boolean;
  /** Offsets where each line starts. */
  lineStarts: number[];
}

const BROAD = new Set(['SecretNotFound', 'Exception', 'BaseException']);

/** The most recent files read, by text: a config's analysis never parses a Python file it has seen. */
const CACHE = new Map<string, PythonSecrets>();
const CACHED = 256;

/** The secret reads of one Python file's text, computed once per text. */
export function pythonSecrets(text: string): PythonSecrets {
  const hit = CACHE.get(text);
  if (hit) {
    CACHE.delete(text);
    CACHE.set(text, hit);
    return hit;
  }
  const found = readSecrets(text);
  CACHE.set(text, found);
  if (CACHE.size > CACHED) CACHE.delete(CACHE.keys().next().value!);
  return found;
}

/**
 * A text equal to one read before, from another source (a file's disk text and its open document's):
 * the cache keeps this copy as its key, so the other can be freed.
 */
export function sameText(text: string): void {
  const hit = CACHE.get(text);
  if (!hit) return;
  CACHE.delete(text);
  CACHE.set(text, hit);
}

let parses = 0;

/** How many Python texts were parsed (not served from the cache): for tests and the benchmark. */
export function pythonParses(): number {
  return parses;
}

function readSecrets(text: string): PythonSecrets {
  parses++;
  const tree = parser.parse(text);
  const src = (n: SyntaxNode) => text.slice(n.from, n.to);
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);

  const functions: SyntaxNode[] = [];
  const strings: SyntaxNode[] = [];
  const assigns: SyntaxNode[] = [];
  const candidates: SyntaxNode[] = [];
  tree.iterate({
    enter(ref) {
      const n = ref.node;
      if (n.name === 'FunctionDefinition') functions.push(n);
      else if (n.name === 'String') strings.push(n);
      else if (n.name === 'AssignStatement') assigns.push(n);
      if (n.name === 'VariableName' || n.name === 'MemberExpression' || n.name === 'CallExpression') {
        candidates.push(n);
      }
    },
  });

  // `__init__`'s `**kwargs` name and whether it has a `secrets` parameter, by function.
  const inits = new Map<number, { kwargs?: string; secretsParam: boolean }>();
  for (const f of functions) {
    if (f.getChild('VariableName') && src(f.getChild('VariableName')!) !== '__init__') continue;
    const params = f.getChild('ParamList');
    if (!params) continue;
    let kwargs: string | undefined;
    let secretsParam = false;
    for (let c = params.firstChild; c; c = c.nextSibling) {
      if (c.name === 'VariableName' && c.prevSibling?.name === '**') kwargs = src(c);
      else if (c.name === 'VariableName' && src(c) === 'secrets' && c.prevSibling?.name !== '*') secretsParam = true;
    }
    inits.set(f.from, { kwargs, secretsParam });
  }
  const enclosing = (n: SyntaxNode): SyntaxNode | undefined => {
    for (let p = n.parent; p; p = p.parent) if (p.name === 'FunctionDefinition') return p;
    return undefined;
  };
  const initOf = (n: SyntaxNode) => {
    const f = enclosing(n);
    return f ? inits.get(f.from) : undefined;
  };

  // Bindings: a local (by function and name) or an attribute (by object and attribute name, file-wide).
  const locals = new Map<string, boolean>(); // key → fallback
  const attrs = new Map<string, boolean>();
  const localKey = (n: SyntaxNode) => `${enclosing(n)?.from ?? -1}:${src(n)}`;
  const attrKey = (n: SyntaxNode) => {
    const obj = n.firstChild;
    const prop = n.getChild('PropertyName');
    return obj?.name === 'VariableName' && prop && n.getChild('.') ? `${src(obj)}.${src(prop)}` : undefined;
  };
  const isString = (n: SyntaxNode | null, value: string) =>
    !!n && n.name === 'String' && literal(text, n)?.value === value;

  /** Whether `n` evaluates to the secrets mapping: undefined if not, else whether through a fallback. */
  const mapping = (n: SyntaxNode | null): boolean | undefined => {
    if (!n) return undefined;
    switch (n.name) {
      case 'ParenthesizedExpression':
        return mapping(n.firstChild?.nextSibling ?? null);
      case 'VariableName': {
        const key = localKey(n);
        if (locals.has(key)) return locals.get(key);
        if (src(n) === 'secrets' && initOf(n)?.secretsParam) return false;
        return undefined;
      }
      case 'MemberExpression': {
        if (n.getChild('[')) {
          const obj = n.firstChild;
          const kw = initOf(n)?.kwargs;
          const index = n.getChild('[')?.nextSibling ?? null;
          return obj?.name === 'VariableName' && kw && src(obj) === kw && isString(index, 'secrets')
            ? false
            : undefined;
        }
        const key = attrKey(n);
        return key !== undefined && attrs.has(key) ? attrs.get(key) : undefined;
      }
      case 'CallExpression': {
        const callee = n.firstChild;
        const args = n.getChild('ArgList');
        const first = args?.firstChild?.nextSibling ?? null;
        const obj = callee?.name === 'MemberExpression' ? callee.firstChild : null;
        const kw = initOf(n)?.kwargs;
        const prop = callee?.getChild('PropertyName');
        return obj?.name === 'VariableName' &&
          kw &&
          src(obj) === kw &&
          prop &&
          src(prop) === 'get' &&
          isString(first, 'secrets')
          ? false
          : undefined;
      }
      case 'BinaryExpression': {
        const op = n.getChild('or');
        const left = n.firstChild;
        const right = n.lastChild;
        if (!op || !left || !right) return undefined;
        const fallback =
          right.name === 'DictionaryExpression' ||
          (right.name === 'CallExpression' && src(right.firstChild!) === 'dict');
        return fallback && mapping(left) !== undefined ? true : undefined;
      }
      default:
        return undefined;
    }
  };

  // Bind until nothing new: `a = kwargs["secrets"]` then `self._s = a`.
  for (let changed = true; changed;) {
    changed = false;
    for (const a of assigns) {
      const value = a.lastChild;
      const fallback = mapping(value);
      if (fallback === undefined) continue;
      for (let c = a.firstChild; c && !(value && same(c, value)); c = c.nextSibling) {
        if (c.name === 'VariableName' && !locals.has(localKey(c))) {
          locals.set(localKey(c), fallback);
          changed = true;
        } else if (c.name === 'MemberExpression') {
          const key = attrKey(c);
          if (key !== undefined && !attrs.has(key)) {
            attrs.set(key, fallback);
            changed = true;
          }
        }
      }
    }
  }

  const reads: PythonRead[] = [];
  const slots: SecretSlot[] = [];
  let opaque = false;
  const slot = (lit: SyntaxNode, kind: SecretSlot['kind']) => {
    const content = stringContent(text, lit);
    if (content) slots.push({ ...content, kind });
  };
  const add = (lit: SyntaxNode, kind: ReadKind, fallback: boolean, at: SyntaxNode) => {
    const l = literal(text, lit);
    if (!l || !l.value) {
      opaque = true; // a name that cannot be read off the text
      return;
    }
    reads.push({ name: l.value, from: l.from, to: l.to, kind, fallback, guard: guardOf(at) });
  };

  /** Whether a condition tests the mapping itself, its length or `_base_secrets`. */
  const testsMapping = (cond: SyntaxNode): boolean => {
    let yes = false;
    const walk = (n: SyntaxNode) => {
      if (yes) return;
      if (n.name === 'PropertyName' && src(n) === '_base_secrets') yes = true;
      else if (mapping(n) !== undefined) {
        const p = n.parent;
        const bare =
          same(n, cond) ||
          (p?.name === 'BinaryExpression' && (p.getChild('and') || p.getChild('or'))) ||
          (p?.name === 'UnaryExpression' && p.getChild('not')) ||
          (p?.name === 'ArgList' && ['len', 'bool'].includes(src(p.parent!.firstChild!)));
        if (bare) yes = true;
        return;
      }
      for (let c = n.firstChild; c; c = c.nextSibling) walk(c);
    };
    walk(cond);
    return yes;
  };
  const within = (n: SyntaxNode, outer: SyntaxNode) => n.from >= outer.from && n.to <= outer.to;
  const guardOf = (n: SyntaxNode): PythonRead['guard'] => {
    for (let child = n, p = n.parent; p; child = p, p = p.parent) {
      if (p.name === 'TryStatement') {
        const body = p.getChild('Body');
        if (body && within(child, body) && catchesBroad(p)) return 'try';
      } else if (p.name === 'IfStatement') {
        // The branch of an `if` or `elif` whose condition tests the mapping (not `else`).
        for (let c = p.firstChild; c; c = c.nextSibling) {
          if ((c.name === 'if' || c.name === 'elif') && c.nextSibling && c.nextSibling.nextSibling?.name === 'Body') {
            if (within(child, c.nextSibling.nextSibling) && testsMapping(c.nextSibling)) return 'if';
          }
        }
      } else if (p.name === 'BinaryExpression' && p.getChild('and')) {
        const left = p.firstChild;
        if (left && !within(child, left) && testsMapping(left)) return 'if';
      } else if (p.name === 'ConditionalExpression') {
        const cond = p.getChild('if')?.nextSibling;
        if (cond && p.firstChild && within(child, p.firstChild) && testsMapping(cond)) return 'if';
      }
    }
    return undefined;
  };
  const catchesBroad = (t: SyntaxNode): boolean => {
    for (let c = t.firstChild; c; c = c.nextSibling) {
      if (c.name !== 'except') continue;
      const what = c.nextSibling;
      if (!what || what.name === 'Body') return true; // a bare `except:`
      const names =
        what.name === 'TupleExpression'
          ? what.getChildren('VariableName').concat(what.getChildren('MemberExpression'))
          : [what];
      for (const e of names) {
        const last = e.name === 'MemberExpression' ? e.getChild('PropertyName') : e;
        if (last && BROAD.has(src(last))) return true;
      }
    }
    return false;
  };

  for (const n of candidates) {
    const fallback = mapping(n);
    if (fallback === undefined) {
      // `**kwargs` of `__init__` handed on whole: the mapping goes where it cannot be followed.
      const kw = n.name === 'VariableName' ? initOf(n)?.kwargs : undefined;
      if (kw && src(n) === kw && n.prevSibling?.name === '**' && n.parent?.name === 'ArgList') opaque = true;
      continue;
    }
    const p = n.parent;
    if (!p) continue;
    if (p.name === 'AssignStatement' && !same(n, p.lastChild)) continue; // a target
    if (p.name === 'MemberExpression' && same(n, p.firstChild)) {
      if (p.getChild('[')) {
        const index = p.getChild('[')?.nextSibling ?? null;
        if (index?.name === 'String') slot(index, 'subscript');
        if (index?.name === 'String' && index.nextSibling?.name === ']') add(index, 'subscript', fallback, p);
        else opaque = true;
        continue;
      }
      const prop = p.getChild('PropertyName');
      const name = prop ? src(prop) : '';
      if (name === 'get' && p.parent?.name === 'CallExpression') {
        const first = p.parent.getChild('ArgList')?.firstChild?.nextSibling ?? null;
        if (first?.name === 'String') slot(first, 'get');
        if (first?.name === 'String') add(first, 'get', fallback, p.parent);
        else opaque = true;
      } else if (name !== '_base_secrets') opaque = true;
      continue;
    }
    if (p.name === 'BinaryExpression' && p.getChild('in') && same(n, p.lastChild)) {
      const left = p.firstChild;
      if (left?.name === 'String') add(left, 'in', fallback, p);
      else opaque = true;
      continue;
    }
    if (p.name === 'ArgList') {
      const callee = p.parent?.firstChild;
      if (!callee || !['len', 'bool', 'isinstance'].includes(src(callee))) opaque = true;
      continue;
    }
    if (
      ['ReturnStatement', 'ForStatement', 'ArrayExpression', 'TupleExpression', 'DictionaryExpression'].includes(p.name)
    ) {
      opaque = true;
    }
  }

  // The literals that name a mounted secret or its environment variable.
  for (const s of strings) {
    const l = literal(text, s);
    if (!l) continue;
    for (const [prefix, kind] of [
      ['/secrets/', 'path'],
      ['TRUSS_SECRET_', 'env'],
    ] as const) {
      if (!l.value.startsWith(prefix)) continue;
      const rest = l.value.slice(prefix.length);
      const end = kind === 'path' && rest.includes('/') ? rest.indexOf('/') : rest.length;
      const name = rest.slice(0, end);
      if (!name || !isSecretName(name)) continue;
      const from = l.from + prefix.length;
      reads.push({ name, from, to: from + name.length, kind, fallback: false, guard: guardOf(s) });
    }
  }
  reads.sort((a, b) => a.from - b.from);
  slots.sort((a, b) => a.from - b.from);
  return { reads, slots, bindings: locals.size + attrs.size, opaque, lineStarts };
}

/** Nodes are fresh objects on each access: the same node is the same span and type. */
function same(a: SyntaxNode, b: SyntaxNode | null): boolean {
  return !!b && a.from === b.from && a.to === b.to && a.type === b.type;
}

/** Letters, digits, `-`, `_` and `.`: what can follow `/secrets/` as one secret's name. */
function isSecretName(name: string): boolean {
  for (const ch of name) {
    const c = ch.charCodeAt(0);
    const ok =
      (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || ch === '_' || ch === '-' || ch === '.';
    if (!ok) return false;
  }
  return true;
}

/**
 * A string literal's value and where its content is, when the content is the value as written: no
 * escape, no byte string, no f-string. `'x'`, `"x"`, `'''x'''`, `"""x"""`, with `r`/`u` prefixes.
 */
export function literal(text: string, n: SyntaxNode): { value: string; from: number; to: number } | undefined {
  if (n.name !== 'String') return undefined;
  let i = n.from;
  let raw = false;
  while (i < n.to && 'rRuU'.includes(text[i])) {
    raw ||= text[i] === 'r' || text[i] === 'R';
    i++;
  }
  const q = text[i];
  if (q !== '"' && q !== "'") return undefined;
  const triple = text.startsWith(q.repeat(3), i);
  const open = triple ? 3 : 1;
  const from = i + open;
  const to = n.to - open;
  if (to < from || text.slice(to, n.to) !== q.repeat(open)) return undefined;
  const value = text.slice(from, to);
  if (!raw && value.includes('\\')) return undefined;
  return { value, from, to };
}

/**
 * Where a string literal's content is, tolerant of a literal not closed yet (`"hf` at the end of a line,
 * as it is while typed); undefined for a byte string or an f-string.
 */
function stringContent(text: string, n: SyntaxNode): { from: number; to: number } | undefined {
  let i = n.from;
  while (i < n.to && 'rRuU'.includes(text[i])) i++;
  const q = text[i];
  if (q !== '"' && q !== "'") return undefined;
  const open = text.startsWith(q.repeat(3), i) && n.to - i >= 3 ? 3 : 1;
  const from = i + open;
  const closed = n.to - from >= open && text.slice(n.to - open, n.to) === q.repeat(open);
  return { from, to: closed ? n.to - open : n.to };
}

/** A 0-based line and UTF-16 character of an offset. */
export function positionOf(found: PythonSecrets, offset: number): { line: number; character: number } {
  const starts = found.lineStarts;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - starts[lo] };
}

/** The offset of a line and character (clamped to the text). */
export function offsetOf(found: PythonSecrets, textLength: number, line: number, character: number): number {
  if (line >= found.lineStarts.length) return textLength;
  return Math.min(textLength, found.lineStarts[Math.max(0, line)] + character);
}
