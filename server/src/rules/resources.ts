import { Rule, RuleContext } from '../core/rule';
import { keyRangeAt, valueRangeAt } from '../core/parse';
import { replaceAt } from '../core/edit';
import { closest } from '../core/suggest';
import { get, isObj, isSet } from '../core/values';
import { ACCELERATORS } from '../core/facts';
import { DOCS } from '../core/types';

const MEMORY_UNITS = new Set(['k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei']);
const NUMBER = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/;

/** The accelerator type a `resources.accelerator` value names, if it is readable. */
export function acceleratorType(value: unknown): string | undefined {
  if (typeof value === 'string') return value.split(':')[0].trim();
  if (isObj(value) && typeof value.accelerator === 'string') return value.accelerator;
  return undefined;
}

export const resources: Rule = {
  codes: [
    {
      code: 'invalid-resources',
      severity: 'error',
      summary: '`cpu`, `memory` or `accelerator` in a form truss rejects (`cpu: "2 cores"`, `memory: 2GB`, `accelerator: a100`, `H100:0`).',
      source: '`Resources._validate_cpu`, `_validate_memory`, `AcceleratorSpec._from_string_spec`',
      href: DOCS.reference,
    },
    {
      code: 'ignored-by-instance-type',
      severity: 'information',
      summary: '`cpu`, `memory` or `accelerator` set together with `instance_type`, which overrides them.',
      source: '`Resources.instance_type` description',
      href: DOCS.reference,
    },
  ],
  check({ parsed, value, report }) {
    const res = get(value, 'resources');
    if (!isObj(res)) return;
    const cpu = res.cpu;
    if (typeof cpu === 'string' && !NUMBER.test(cpu) && !/^[0-9.]*m$/.test(cpu)) {
      report('invalid-resources', valueRangeAt(parsed, ['resources', 'cpu']), 'Invalid cpu specification: write a number of cores such as "1" or "0.5", or millicpu such as "500m".', {});
    }
    const memory = res.memory;
    if (typeof memory === 'string') {
      const m = /^\s*([0-9.]+)\s*([A-Za-z]*)\s*$/.exec(memory);
      const range = valueRangeAt(parsed, ['resources', 'memory']);
      if (!m || !NUMBER.test(m[1])) report('invalid-resources', range, 'Invalid memory specification: write a number with a unit, such as "2Gi" or "512Mi".', {});
      else if (m[2] && !MEMORY_UNITS.has(m[2])) {
        const unit = closest(m[2], MEMORY_UNITS, 1)[0] ?? (m[2].toLowerCase().startsWith('g') ? 'Gi' : undefined);
        report(
          'invalid-resources',
          range,
          `Invalid memory unit \`${m[2]}\`: use one of k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei (case-sensitive).`,
          unit ? { path: ['resources', 'memory'], replace: memory.replace(m[2], unit) } : {},
        );
      }
    }
    checkAccelerator({ parsed, report }, res.accelerator);
    if (isSet(res.instance_type)) {
      for (const key of ['cpu', 'memory', 'accelerator']) {
        if (res[key] === undefined) continue;
        report('ignored-by-instance-type', keyRangeAt(parsed, ['resources', key]), `\`${key}\` is ignored: \`instance_type\` sets the machine.`, {});
      }
    }
  },
  fixes(finding, { parsed }) {
    const path = finding.data?.path as string[] | undefined;
    const replace = finding.data?.replace as string | undefined;
    if (!path || !replace) return [];
    const edit = replaceAt(parsed, path, replace);
    return edit ? [{ title: `Change to \`${replace}\``, edits: [edit], preferred: true }] : [];
  },
};

function checkAccelerator({ parsed, report }: Pick<RuleContext, 'parsed' | 'report'>, acc: unknown): void {
  let type: string | undefined;
  let count: unknown;
  let path = ['resources', 'accelerator'];
  if (typeof acc === 'string') {
    const parts = acc.split(':');
    type = parts[0];
    if (parts.length > 2) {
      report('invalid-resources', valueRangeAt(parsed, path), 'Invalid accelerator: write `TYPE` or `TYPE:COUNT`, such as `H100:2`.', {});
      return;
    }
    count = parts.length === 2 ? parts[1] : undefined;
  } else if (isObj(acc)) {
    type = typeof acc.accelerator === 'string' ? acc.accelerator : undefined;
    count = acc.count;
    path = ['resources', 'accelerator', 'accelerator'];
  } else return;
  if (type !== undefined) {
    if (!type.trim()) {
      report('invalid-resources', valueRangeAt(parsed, path), 'Accelerator type cannot be empty.', {});
    } else if (!ACCELERATORS.includes(type)) {
      const candidate = ACCELERATORS.find((a) => a.toLowerCase() === type!.toLowerCase()) ?? closest(type, ACCELERATORS, 1)[0];
      const fix = candidate && typeof acc === 'string' ? { path, replace: acc.replace(type, candidate) } : candidate ? { path, replace: candidate } : {};
      report(
        'invalid-resources',
        valueRangeAt(parsed, path),
        `Unsupported accelerator type \`${type}\` (types are case-sensitive): use one of ${ACCELERATORS.filter((a) => a !== 'B10').join(', ')}.${candidate ? ` Did you mean \`${candidate}\`?` : ''}`,
        fix,
      );
    }
  }
  if (count !== undefined && count !== null) {
    const n = typeof count === 'number' ? count : /^\s*\d+\s*$/.test(String(count)) ? Number(count) : NaN;
    if (!Number.isInteger(n) || n < 1) {
      const countPath = typeof acc === 'string' ? ['resources', 'accelerator'] : ['resources', 'accelerator', 'count'];
      report('invalid-resources', valueRangeAt(parsed, countPath), 'Invalid accelerator count: it must be a positive whole number.', {});
    }
  }
}
