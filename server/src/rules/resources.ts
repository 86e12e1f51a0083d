import { replaceAt } from '../core/yaml/edit';
import { ACCELERATORS } from '../core/truss/facts';
import { NEWEST, isNewer } from '../core/truss/release';
import { keyRangeAt, valueRangeAt } from '../core/yaml/query';
import { type ParsedDocument } from '../core/yaml/parse';
import { code, defineRule, type Report } from '../core/rule';
import { closest } from '../core/truss/suggest';
import { DOCS } from '../core/types';
import { asInt, get, isObj, isSet } from '../core/yaml/values';
import { pyDigits, pyFloatParses, pyStrip } from '../core/truss/python';

const MEMORY_UNITS = new Set(['k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei']);

/** Where a fix writes, and what. */
type Replace = { path: string[]; replace: string } | Record<string, never>;
type Reporter = (finding: Report<'invalid-resources', Replace>) => void;

export const resources = defineRule({
  name: 'resources',
  codes: {
    'invalid-resources': code<Replace>({
      severity: 'error',
      fix: 'editor',
      summary:
        '`cpu`, `memory` or `accelerator` in a form truss rejects (`cpu: "2 cores"`, `memory: 2GB`, ' +
        '`accelerator: a100`, `H100:0`).',
      source: '`Resources._validate_cpu`, `_validate_memory`, `AcceleratorSpec._from_string_spec`',
      href: DOCS.reference,
      docs: {
        description:
          'Truss validates `cpu`, `memory` and `accelerator` when it loads the config, so `truss push` fails before ' +
          'anything is built. `cpu` is a number of cores written as a string (`"4"`, `"0.5"`) or millicpu ' +
          '(`"500m"`); `memory` is a number with one of the units `k M G T P E Ki Mi Gi Ti Pi Ei`, ' +
          'case-sensitive, so `16GB` and `16gi` are rejected; `accelerator` is one of the accelerator types truss ' +
          'knows, also case-sensitive (`A10G`, `H100`), optionally followed by `:COUNT` with a count of at least 1. ' +
          'Truss reports these as `Invalid cpu specification`, `Invalid memory unit` and ' +
          '`Unsupported accelerator type`.',
        bad: `model_name: llama-8b
python_version: py311
resources:
  cpu: "4"
  memory: 32GB
  accelerator: a10g
`,
        good: `model_name: llama-8b
python_version: py311
resources:
  cpu: "4"
  memory: 32Gi
  accelerator: A10G
`,
        fix:
          'When the type or unit is close to a valid one, the quick fix replaces it: `a10g` becomes `A10G` and ' +
          '`32GB` becomes `32G` (edit it by hand if you meant `32Gi`).',
      },
    }),
    'ignored-by-instance-type': code({
      severity: 'information',
      summary: '`cpu`, `memory` or `accelerator` set together with `instance_type`, which overrides them.',
      source: '`Resources.instance_type` description',
      href: DOCS.reference,
      docs: {
        description:
          'When `resources.instance_type` is set, it names the machine, and truss ignores `cpu`, `memory` and ' +
          '`accelerator` (per the description of the field). Nothing fails, but the ignored values mislead: a config ' +
          'that says `accelerator: H100` next to `instance_type: L4:4x16` does not get an H100. Keep either ' +
          '`instance_type` alone, or `cpu`, `memory` and `accelerator` without it.',
        bad: `model_name: llama-8b
python_version: py311
resources:
  instance_type: L4:4x16
  accelerator: H100
  memory: 64Gi
`,
        good: `model_name: llama-8b
python_version: py311
resources:
  instance_type: L4:4x16
`,
      },
    }),
  },
  check({ parsed, value, release, trussSays, report }) {
    const res = get(value, 'resources');
    if (!isObj(res)) return;
    // `Resources._validate_cpu`: what Python's float() reads (any Unicode digits and spaces), or millicpu.
    const cpu = res.cpu;
    if (typeof cpu === 'string' && !pyFloatParses(cpu) && splitUnit(cpu)?.unit !== 'm') {
      report({
        code: 'invalid-resources',
        range: valueRangeAt(parsed, ['resources', 'cpu']),
        message: 'Invalid cpu specification: write a number of cores such as "1" or "0.5", or millicpu such as "500m".',
        data: {},
      });
    }
    // `_validate_memory`: what float() reads, or digits and dots with one of the units, nothing around.
    const memory = res.memory;
    if (typeof memory === 'string' && !pyFloatParses(memory)) {
      const m = splitUnit(memory);
      const range = valueRangeAt(parsed, ['resources', 'memory']);
      if (!m) {
        const message =
          'Invalid memory specification: write a number with a unit, such as "2Gi" or "512Mi", with no spaces.';
        report({ code: 'invalid-resources', range, message, data: {} });
      } else if (!m.unit) {
        const message = 'Invalid memory specification: write a number, or a number with a unit such as "2Gi".';
        report({ code: 'invalid-resources', range, message, data: {} });
      } else if (!MEMORY_UNITS.has(m.unit)) {
        const unit = closest(m.unit, MEMORY_UNITS, 1)[0] ?? (m.unit.toLowerCase().startsWith('g') ? 'Gi' : undefined);
        report({
          code: 'invalid-resources',
          range,
          message:
            `Invalid memory unit \`${m.unit}\`: use one of k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei ` +
            `(case-sensitive).`,
          data: unit ? { path: ['resources', 'memory'], replace: memory.replace(m.unit, unit) } : {},
        });
      }
    }
    // A truss newer than our data that was asked says itself whether it knows the accelerator.
    if (!(release && isNewer(release) && trussSays?.version === release)) {
      checkAccelerator(parsed, report, res.accelerator, release);
    }
    if (isSet(res.instance_type)) {
      for (const key of ['cpu', 'memory', 'accelerator']) {
        if (res[key] === undefined) continue;
        report({
          code: 'ignored-by-instance-type',
          range: keyRangeAt(parsed, ['resources', key]),
          message: `\`${key}\` is ignored: \`instance_type\` sets the machine.`,
        });
      }
    }
  },
  fixes: {
    'invalid-resources'(finding, { parsed }) {
      if (!('path' in finding.data)) return [];
      const { path, replace } = finding.data;
      const edit = replaceAt(parsed, path, replace);
      return edit
        ? [{ title: `Change to \`${replace}\``, edits: [edit], preferred: true, intent: [{ path, to: replace }] }]
        : [];
    },
  },
});

/**
 * A quantity as truss's cpu and memory checks read one that is not a plain number: ASCII digits and
 * dots, then a unit of ASCII letters (either may be empty); undefined when anything else is there.
 */
function splitUnit(text: string): { unit: string } | undefined {
  let i = 0;
  while (i < text.length && (text[i] === '.' || (text[i] >= '0' && text[i] <= '9'))) i++;
  const unit = text.slice(i);
  return [...unit].every((c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) ? { unit } : undefined;
}

function checkAccelerator(parsed: ParsedDocument, report: Reporter, acc: unknown, release?: string): void {
  let type: string | undefined;
  let path = ['resources', 'accelerator'];
  let countOk = true;
  if (typeof acc === 'string') {
    // `AcceleratorSpec._from_string_spec`: strip, split at `:`; a count only when there are two parts.
    const parts = pyStrip(acc).split(':');
    type = parts[0];
    if (parts.length === 2) countOk = (pyDigits(parts[1]) ?? 0) > 0;
  } else if (isObj(acc)) {
    type = typeof acc.accelerator === 'string' ? acc.accelerator : undefined;
    path = ['resources', 'accelerator', 'accelerator'];
    // The mapping's `count` is a lax int of at least 0.
    if (acc.count !== undefined) countOk = (asInt(acc.count) ?? -1) >= 0;
  } else return;
  if (type !== undefined) {
    if (!type && typeof acc === 'string') {
      const message = 'Accelerator type cannot be empty.';
      report({ code: 'invalid-resources', range: valueRangeAt(parsed, path), message, data: {} });
    } else if (!ACCELERATORS.includes(type)) {
      const candidate =
        ACCELERATORS.find((a) => a.toLowerCase() === type.trim().toLowerCase()) ??
        closest(type.trim(), ACCELERATORS, 1)[0];
      const data: Replace = !candidate
        ? {}
        : { path, replace: typeof acc === 'string' ? acc.replace(type, candidate) : candidate };
      const known = ACCELERATORS.filter((a) => a !== 'B10').join(', ');
      const hint = candidate ? ` Did you mean \`${candidate}\`?` : '';
      const spaced = type.trim() !== type ? ' (no spaces around the type)' : '';
      // A truss newer than our data may know a newer GPU: never an error only our age explains.
      const newer = release !== undefined && isNewer(release);
      report({
        code: 'invalid-resources',
        range: valueRangeAt(parsed, path),
        severity: newer ? 'warning' : undefined,
        message:
          `Unsupported accelerator type${spaced} (types are case-sensitive): use one of ${known}.${hint}` +
          (newer
            ? ` The checker's data (truss ${NEWEST}) is older than your truss ${release}, which may know it.`
            : ''),
        data,
      });
    }
  }
  if (!countOk) {
    const countPath = typeof acc === 'string' ? ['resources', 'accelerator'] : ['resources', 'accelerator', 'count'];
    const message =
      typeof acc === 'string'
        ? 'Invalid accelerator count: write `TYPE:COUNT` with a whole number of at least 1 and no spaces, such as ' +
          '`H100:2`.'
        : 'Invalid accelerator count: it must be a whole number of at least 0.';
    report({ code: 'invalid-resources', range: valueRangeAt(parsed, countPath), message, data: {} });
  }
}
