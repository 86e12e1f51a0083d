import { isMap, isScalar } from 'yaml';
import { Rule, RuleContext } from '../core/rule';
import { knownKeys, validateSchema, ErrorObject } from '../core/schema';
import { findPair, locate, parentMap, pointerSegments } from '../core/parse';
import { addEntries, removeEntry, replaceScalar, setValue } from '../core/edit';
import { methodOrder } from '../core/facts';
import { closest } from '../core/suggest';
import { DOCS, Range } from '../core/types';

const SOURCE = 'schemas/truss-config.schema.json, written from truss/base/truss_config.py';

export const schema: Rule = {
  codes: [
    {
      code: 'unknown-key',
      severity: 'error',
      summary: 'A key truss does not know, where `truss push` rejects extra fields.',
      source: '`ConfigModel` sections reject extra fields at push (`validate_forbid_extra`)',
      href: DOCS.reference,
    },
    { code: 'invalid-type', severity: 'error', summary: 'A value of the wrong type (a number where truss wants a string, …).', source: SOURCE, href: DOCS.reference },
    { code: 'invalid-value', severity: 'error', summary: 'A value outside the allowed set (an unknown `auth_method`, …).', source: SOURCE, href: DOCS.reference },
    { code: 'missing-required', severity: 'error', summary: 'A required key is missing (`docker_auth.auth_method`, …).', source: SOURCE, href: DOCS.reference },
  ],
  check(ctx) {
    if (ctx.value === undefined) return;
    const errors = validateSchema(ctx.value);
    // A wrong type says it all: no enum or pattern error on top of it. `if` only wraps its `then` error.
    const typed = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
    for (const error of errors) {
      if (error.keyword === 'if' || (error.keyword !== 'type' && typed.has(error.instancePath))) continue;
      reportError(ctx, error);
    }
  },
  fixes(finding, analysis) {
    const { parsed } = analysis;
    const data = finding.data ?? {};
    const path = (data.path ?? []) as string[];
    switch (finding.code) {
      case 'unknown-key': {
        const key = String(data.key);
        const map = parentMap(parsed, [...path, key]);
        const pair = findPair(map, key);
        if (!pair || !isScalar(pair.key)) return [];
        const keyNode = pair.key;
        const present = new Set(map!.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')));
        return ((data.candidates ?? []) as string[])
          .filter((c) => !present.has(c))
          .flatMap((c, i) => {
            const edit = replaceScalar(parsed, keyNode, c);
            return edit ? [{ title: `Rename to \`${c}\``, edits: [edit], preferred: i === 0 }] : [];
          });
      }
      case 'invalid-value': {
        const node = locate(parsed, path).found.node;
        if (!isScalar(node) || !data.allowed) return [];
        const candidates = (data.candidates as string[]).length ? (data.candidates as string[]) : (data.allowed as string[]);
        if (!(data.candidates as string[]).length && candidates.length > 8) return [];
        return candidates.flatMap((c, i) => {
          const edit = replaceScalar(parsed, node, c);
          return edit ? [{ title: `Change to \`${c}\``, edits: [edit], preferred: i === 0 && (data.candidates as string[]).length > 0 }] : [];
        });
      }
      case 'invalid-type': {
        const at = locate(parsed, path);
        const node = at.found.node;
        const expected = (data.expected ?? []) as string[];
        if (!isScalar(node) || !node.range || !expected.includes('string')) return [];
        const py = path.join('.') === 'python_version' ? pythonVersion(parsed.text.slice(node.range[0], node.range[1])) : undefined;
        if (py) {
          const edit = replaceScalar(parsed, node, py);
          return edit ? [{ title: `Change to \`${py}\``, edits: [edit], preferred: true, safe: true }] : [];
        }
        if (node.value === null && at.found.pair && path.length) {
          const map = parentMap(parsed, path);
          const edit = map && removeEntry(parsed, map, at.found.pair);
          return edit ? [{ title: `Remove \`${path[path.length - 1]}\` to use its default`, edits: [edit] }] : [];
        }
        if (node.type !== 'PLAIN' || node.value === null) return [];
        if (path[0] === 'secrets' && at.found.pair) {
          // A secret's value belongs in Baseten: offer null, never an edit that repeats the value.
          const edit = setValue(parsed, at.found.pair, 'null');
          return edit ? [{ title: 'Set the secret to null', edits: [edit], preferred: true, safe: true }] : [];
        }
        if (path[0] === 'environment_variables') return [];
        const source = parsed.text.slice(node.range[0], node.range[1]).trim();
        // The title never shows the value: it may be a credential.
        return [{ title: 'Quote the value as a string', edits: [{ range: finding.range, newText: JSON.stringify(source) }], preferred: true, safe: true }];
      }
      case 'missing-required': {
        if (String(data.key) !== 'auth_method' || !analysis.facts.dockerAuth) return [];
        const method = methodOrder(analysis.facts.image?.registry)[0];
        const edit = addEntries(parsed, analysis.facts.dockerAuth, analysis.facts.dockerAuthMap, [`auth_method: ${method}`]);
        return edit ? [{ title: `Add \`auth_method: ${method}\``, edits: [edit], preferred: true }] : [];
      }
    }
    return [];
  },
};

function reportError(ctx: RuleContext, e: ErrorObject): void {
  const { parsed } = ctx;
  const path = pointerSegments(e.instancePath);
  const at = locate(parsed, path);
  // A node reached only through a merge key has no place of its own: use the closest one.
  const exact = at.depth === path.length;
  const nodeRange = (): Range =>
    (at.found.pair && (exact ? parsed.valueRange(at.found.pair) : parsed.keyRange(at.found.pair))) ??
    parsed.nodeRange(at.found.node) ??
    parsed.range(0, 0);
  const last = path[path.length - 1];
  const name = !path.length ? 'The document' : /^\d+$/.test(last) ? `Entry ${Number(last) + 1} of \`${path[path.length - 2]}\`` : `\`${last}\``;

  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      const keyAt = locate(parsed, [...path, key]);
      const range = keyAt.depth === path.length + 1 && keyAt.found.pair ? parsed.keyRange(keyAt.found.pair) : nodeRange();
      const candidates = closest(key, knownKeys(path));
      const where = path.length ? `\`${path.join('.')}\`` : 'the top level';
      const hint = candidates.length ? ` Did you mean \`${candidates[0]}\`?` : '';
      ctx.report(
        'unknown-key',
        range,
        `Unknown key \`${key}\` in ${where}: \`truss push\` rejects it ("Extra fields not allowed").${hint}`,
        { key, path, candidates },
      );
      return;
    }
    case 'required': {
      const key = String(e.params.missingProperty);
      const node = at.found.node;
      // A list entry has no key of its own: point at its first key.
      const first = !at.found.pair && isMap(node) ? node.items[0] : undefined;
      const range = at.found.pair ? parsed.keyRange(at.found.pair) : first ? parsed.keyRange(first) : nodeRange();
      ctx.report('missing-required', range, `${name} needs \`${key}\`: truss rejects the file without it ("Field required").`, { key, path });
      return;
    }
    case 'type': {
      const expected = String(e.params.type).split(',');
      const node = at.found.node;
      const unquoted = isScalar(node) && node.type === 'PLAIN' && node.value !== null && typeof node.value !== 'string';
      const quote = unquoted && expected.includes('string') ? ' Quote it to make it a string.' : '';
      const choices = e.data === null ? ((e.parentSchema as { enum?: unknown[] } | undefined)?.enum ?? []) : [];
      const message = choices.length
        ? `${name} needs a value: one of ${choices.map((c) => `\`${c}\``).join(', ')}.`
        : `${name} must be ${describeTypes(expected)}, not ${describeValue(e.data)}.${quote}`;
      ctx.report('invalid-type', nodeRange(), message, { path, expected });
      return;
    }
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[]).map(String);
      const candidates = typeof e.data === 'string' ? suggestValue(path, e.data, allowed) : [];
      const hint = candidates.length ? ` Did you mean \`${candidates[0]}\`?` : '';
      ctx.report('invalid-value', nodeRange(), `${name} must be one of ${allowed.map((a) => `\`${a}\``).join(', ')}.${hint}`, {
        path,
        allowed,
        candidates,
      });
      return;
    }
    default:
      ctx.report('invalid-value', nodeRange(), `${name} ${e.message ?? 'is not valid'}.`, { path });
  }
}

/** The value a user most likely meant, for an enum value truss refuses. */
function suggestValue(path: string[], value: string, allowed: string[]): string[] {
  const where = path.join('.');
  if (where === 'python_version') {
    const py = pythonVersion(value);
    if (py) return [py];
  }
  if (where === 'trt_llm.build.base_model' && /^(palmyra|qwen|llama|mistral|deepseek)$/i.test(value)) return ['decoder'];
  const exact = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  return exact ? [exact] : closest(value, allowed, 1);
}

/** `3.11`, `"3.11"`, `python3.11`, `py3.11` → `py311`, when that is a supported version. */
export function pythonVersion(raw: string): string | undefined {
  const m = /^\s*["']?(?:py(?:thon)?)?\s*3\.?(\d{1,2})["']?\s*$/i.exec(raw);
  const v = m ? `py3${m[1]}` : undefined;
  return v && ['py39', 'py310', 'py311', 'py312', 'py313', 'py314'].includes(v) ? v : undefined;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  null: 'null',
  object: 'a mapping',
  array: 'a list',
  boolean: 'true or false',
  integer: 'a whole number',
  number: 'a number',
};

function describeTypes(types: string[]): string {
  const names = types.map((t) => TYPE_NAMES[t] ?? t);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names[0];
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Date) return 'a date';
  if (typeof v === 'boolean') return 'a boolean (YAML reads yes, no, on, off, true and false as booleans)';
  if (typeof v === 'number') return 'a number';
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v}`;
}
