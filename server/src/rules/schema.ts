import { isMap, isScalar } from 'yaml';
import { addEntries, removeKeyAt, replaceScalar, setValue } from '../core/yaml/edit';
import { DOCKER_AUTH, methodOrder } from '../core/truss/facts';
import { findPair, locate, parentMap, pointerSegments, stringValue } from '../core/yaml/query';
import { type ParsedDocument } from '../core/yaml/parse';
import { exactly } from '../core/yaml/query';
import { code, defineRule, orList, type Report } from '../core/rule';
import { type ErrorObject, knownKeys, placesOf, pointer, validateSchema } from '../core/truss/schema';
import type { ShippedSchema } from '../core/truss/shippedSchema';
import type { TrussAnswer } from '../core/truss/trussAnswer';
import {
  NEWEST,
  checksTypes,
  firstAfter,
  holds,
  ignoresUnknownUnder,
  isNewer,
  keyItem,
  knows,
  requiredItem,
  valueItem,
} from '../core/truss/release';
import { Bytes } from '../core/yaml/pyyaml';
import { WHITE_SPACE, isObj } from '../core/yaml/values';
import { closest } from '../core/truss/suggest';
import { DOCS, type Fix, type Range } from '../core/types';

const SOURCE = 'schemas/truss-config.schema.json, written from truss/base/truss_config.py';

type UnknownKey = { key: string; path: string[]; candidates: string[] };
type InvalidType = { path: string[]; expected: string[] };
type InvalidValue = { path: string[]; allowed?: string[]; candidates?: string[] };
type MissingRequired = { key: string; path: string[] };

type SchemaReport =
  | Report<'unknown-key', UnknownKey>
  | Report<'invalid-type', InvalidType>
  | Report<'invalid-value', InvalidValue>
  | Report<'missing-required', MissingRequired>;

export const schema = defineRule({
  name: 'schema',
  codes: {
    'unknown-key': code<UnknownKey>({
      severity: 'error',
      fix: 'editor',
      summary: 'A key truss does not know, where `truss push` rejects extra fields.',
      source: '`ConfigModel` sections reject extra fields at push (`validate_forbid_extra`)',
      href: DOCS.reference,
      docs: {
        description:
          'Flags a key truss does not define, at the top level or inside a section such as `resources`, ' +
          '`base_image`, `docker_auth`, `runtime`, `build`, `docker_server` or a `weights` entry; usually a typo. ' +
          'truss loads such a file without complaint, but `truss push` validates it again before uploading and ' +
          'stops with `Extra fields not allowed: [...]. Possibly this field is only supported by newer truss ' +
          'versions, check for updates.` Free-form sections (`model_metadata`, `environment_variables`, ' +
          '`secrets`, `build.arguments`) take any key and are not checked.',
        bad: `model_name: my-model
python_version: py311
requirements:
  - torch==2.3.0
system_package:
  - ffmpeg
resources:
  accelerator: A10G
`,
        good: `model_name: my-model
python_version: py311
requirements:
  - torch==2.3.0
system_packages:
  - ffmpeg
resources:
  accelerator: A10G
`,
        fix:
          'Renames the key to a known key with a close spelling (the one the message suggests, when there is ' +
          'one).',
      },
    }),
    'invalid-type': code<InvalidType>({
      severity: 'error',
      fix: 'safe',
      summary: 'A value of the wrong type (a number where truss wants a string, …).',
      source: SOURCE,
      href: DOCS.reference,
      docs: {
        description:
          'Flags a value whose type truss rejects: a string where it wants a mapping (`base_image: my-image` ' +
          'instead of an `image:` key under it), a mapping where it wants a list, and most often an unquoted ' +
          'number or boolean where it wants a string. truss does not turn ' +
          'numbers into strings, so `cpu: 4`, `memory: 2048` or `python_version: 3.11` fail with `Input should ' +
          'be a valid string` as soon as truss loads the config, and `truss push` stops. YAML also reads `yes`, ' +
          '`no`, `on` and `off` as booleans.',
        bad: `model_name: my-model
python_version: py311
resources:
  cpu: 4
  memory: 16Gi
  accelerator: A10G
`,
        good: `model_name: my-model
python_version: py311
resources:
  cpu: "4"
  memory: 16Gi
  accelerator: A10G
`,
        fix:
          'Quotes the value so that it is a string; for `python_version` written as a number it writes the ' +
          'version truss expects instead (`3.11` becomes `py311`), and for a value under `secrets` it sets the ' +
          'secret to `null`. `truss-config --fix` applies these. For `resources.memory` written as a bare number ' +
          'the editor offers units to choose from (`2048` becomes `2048Mi` or `2Gi`), and for a key left empty ' +
          'it offers to remove it so its default applies; `--fix` does neither.',
      },
    }),
    'invalid-value': code<InvalidValue>({
      severity: 'error',
      fix: 'editor',
      summary: 'A value outside the allowed set (an unknown `auth_method`, …).',
      source: SOURCE,
      href: DOCS.reference,
      docs: {
        description:
          'Flags a value that has the right type but is not one truss accepts: a `python_version` that is not ' +
          'one of `py39` to `py314`, an `auth_method` truss does not know (such as the old ' +
          '`GCS_SERVICE_ACCOUNT_JSON`), a `trt_llm` option outside its list. truss rejects the config when it ' +
          'loads it, so `truss push` stops; for `python_version` the error is ``Please ensure that ' +
          '`python_version` is one of {…}``. The message lists the allowed values and, when one is close, ' +
          'suggests it.',
        bad: `model_name: my-model
python_version: "3.11"
requirements:
  - torch==2.3.0
resources:
  accelerator: A10G
`,
        good: `model_name: my-model
python_version: py311
requirements:
  - torch==2.3.0
resources:
  accelerator: A10G
`,
        fix: 'Replaces the value with the suggested one, or offers each allowed value when the list is short.',
      },
    }),
    'missing-required': code<MissingRequired>({
      severity: 'error',
      fix: 'editor',
      summary: 'A required key is missing (`docker_auth.auth_method`, …).',
      source: SOURCE,
      href: DOCS.reference,
      docs: {
        description:
          'Flags a section that lacks a key truss requires: `auth_method` in `base_image.docker_auth`, ' +
          '`server_port` and the three endpoints in `docker_server`, `source` and `mount_location` in a ' +
          '`weights` entry, and so on. Nothing at the top level is required, but once a section is written its ' +
          'required keys must be there. truss rejects the config with `Field required` when it loads it, so ' +
          '`truss push` stops before anything is uploaded.',
        bad: `model_name: my-model
python_version: py311
base_image:
  image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/my-image:latest
  docker_auth:
    registry: 123456789012.dkr.ecr.us-west-2.amazonaws.com
    aws_oidc_role_arn: arn:aws:iam::123456789012:role/baseten-pull
    aws_oidc_region: us-west-2
`,
        good: `model_name: my-model
python_version: py311
base_image:
  image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/my-image:latest
  docker_auth:
    auth_method: AWS_OIDC
    registry: 123456789012.dkr.ecr.us-west-2.amazonaws.com
    aws_oidc_role_arn: arn:aws:iam::123456789012:role/baseten-pull
    aws_oidc_region: us-west-2
`,
        fix:
          "For a missing `docker_auth.auth_method`, adds one, picking the method that fits the image's " +
          'registry first (`AWS_OIDC` for ECR, `GCP_OIDC` for Google). ' +
          'Other missing keys have no quick fix.',
      },
    }),
  },
  check(ctx) {
    if (ctx.value === undefined) return;
    const report = releaseAware(ctx);
    const { errors, extra } = withSpecials(ctx.parsed, ctx.value, validateSchema(ctx.value));
    // A wrong type says it all: no enum or pattern error on top of it. `if` only wraps its `then` error.
    const typed = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
    for (const error of errors) {
      if (error.keyword === 'if' || (error.keyword !== 'type' && typed.has(error.instancePath))) continue;
      reportError(ctx.parsed, report, error);
    }
    for (const r of extra) report(r);
    checkKeys(ctx.parsed, report);
    checkFreeValues(ctx.parsed, ctx.value, report);
    checkFiniteFloats(ctx.parsed, ctx.value, report);
  },
  fixes: {
    'unknown-key'(finding, { parsed }) {
      const { key, path, candidates } = finding.data;
      const map = parentMap(parsed, [...path, key]);
      const pair = findPair(map, key);
      if (!map || !pair || !isScalar(pair.key)) return [];
      const keyNode = pair.key;
      const present = new Set(map.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')));
      return candidates
        .filter((c) => !present.has(c))
        .flatMap((c, i) => {
          const edit = replaceScalar(parsed, keyNode, c);
          const intent = [{ path: [...path, key], renamedTo: c }];
          return edit ? [{ title: `Rename to \`${c}\``, edits: [edit], preferred: i === 0, intent }] : [];
        });
    },
    'invalid-value'(finding, { parsed }) {
      const { path, allowed, candidates = [] } = finding.data;
      const node = exactly(parsed, path)?.node;
      if (!isScalar(node) || !allowed) return [];
      if (!candidates.length && allowed.length > 8) return [];
      return (candidates.length ? candidates : allowed).flatMap((c, i) => {
        const edit = replaceScalar(parsed, node, c);
        return edit
          ? [
              {
                title: `Change to \`${c}\``,
                edits: [edit],
                preferred: i === 0 && candidates.length > 0,
                intent: [{ path, to: c }],
              },
            ]
          : [];
      });
    },
    'invalid-type'(finding, { parsed }): Fix[] {
      const { path, expected } = finding.data;
      const found = exactly(parsed, path);
      const node = found?.node;
      if (!found || !isScalar(node) || !node.range || !expected.includes('string')) return [];
      const source = parsed.text.slice(node.range[0], node.range[1]);
      const py = path.join('.') === 'python_version' ? pythonVersion(source) : undefined;
      if (py) {
        const edit = replaceScalar(parsed, node, py);
        const intent = [{ path, to: py }];
        return edit ? [{ title: `Change to \`${py}\``, edits: [edit], preferred: true, safe: true, intent }] : [];
      }
      if (node.value === null && found.pair && path.length) {
        const edit = removeKeyAt(parsed, path);
        const intent = [{ path, removed: true as const }];
        return edit ? [{ title: `Remove \`${path[path.length - 1]}\` to use its default`, edits: [edit], intent }] : [];
      }
      if (node.type !== 'PLAIN' || node.value === null) return [];
      if (path[0] === 'secrets' && found.pair) {
        // A secret's value belongs in Baseten: offer null, never an edit that repeats the value.
        const edit = setValue(parsed, found.pair, 'null');
        const intent = [{ path, to: null }];
        return edit ? [{ title: 'Set the secret to null', edits: [edit], preferred: true, safe: true, intent }] : [];
      }
      if (path[0] === 'environment_variables') return [];
      if (path.join('.') === 'resources.memory' && typeof node.value === 'number') {
        // A bare number has no unit: which one is meant is for the user to choose.
        const n = node.value;
        const choices = [`${n}Mi`, ...(n >= 1024 && n % 1024 === 0 ? [`${n / 1024}Gi`] : []), `${n}Gi`];
        return [...new Set(choices)].map((c) => ({
          title: `Change to \`${c}\``,
          edits: [{ range: finding.range, newText: JSON.stringify(c) }],
          intent: [{ path, to: c }],
        }));
      }
      // The title never shows the value: it may be a credential.
      const edits = [{ range: finding.range, newText: JSON.stringify(source.trim()) }];
      return [
        {
          title: 'Quote the value as a string',
          edits,
          preferred: true,
          safe: true,
          intent: [{ path, to: source.trim() }],
        },
      ];
    },
    'missing-required'(finding, { parsed, facts }) {
      if (finding.data.key !== 'auth_method' || !facts.dockerAuth) return [];
      const method = methodOrder(facts.image?.registry)[0];
      const edit = addEntries(parsed, facts.dockerAuth, facts.dockerAuthMap, [`auth_method: ${method}`]);
      const intent = [{ path: [...DOCKER_AUTH, 'auth_method'], to: method }];
      return edit ? [{ title: `Add \`auth_method: ${method}\``, edits: [edit], preferred: true, intent }] : [];
    },
  },
});

function reportError(parsed: ParsedDocument, report: (r: SchemaReport) => void, e: ErrorObject): void {
  const path = pointerSegments(e.instancePath);
  const at = locate(parsed, path);
  // A node reached only through a merge key has no place of its own: use the closest one.
  const exact = at.depth === path.length;
  const nodeRange = (): Range =>
    (at.found.pair && (exact ? parsed.valueRange(at.found.pair) : parsed.keyRange(at.found.pair))) ??
    parsed.nodeRange(at.found.node) ??
    parsed.range(0, 0);
  const last = path[path.length - 1];
  const name = !path.length
    ? 'The document'
    : /^\d+$/.test(last)
      ? `Entry ${Number(last) + 1} of \`${path[path.length - 2]}\``
      : `\`${last}\``;

  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      const keyAt = locate(parsed, [...path, key]);
      const range =
        keyAt.depth === path.length + 1 && keyAt.found.pair ? parsed.keyRange(keyAt.found.pair) : nodeRange();
      const candidates = closest(key, knownKeys(path));
      const where = path.length ? `\`${path.join('.')}\`` : 'the top level';
      const hint = candidates.length ? ` Did you mean \`${candidates[0]}\`?` : '';
      report({
        code: 'unknown-key',
        range,
        message: `Unknown key \`${key}\` in ${where}: \`truss push\` rejects it ("Extra fields not allowed").${hint}`,
        data: { key, path, candidates },
      });
      return;
    }
    case 'required': {
      const key = String(e.params.missingProperty);
      const node = at.found.node;
      // A list entry has no key of its own: point at its first key.
      const first = !at.found.pair && isMap(node) ? node.items[0] : undefined;
      const range = at.found.pair ? parsed.keyRange(at.found.pair) : first ? parsed.keyRange(first) : nodeRange();
      const message = `${name} needs \`${key}\`: truss rejects the file without it ("Field required").`;
      report({ code: 'missing-required', range, message, data: { key, path } });
      return;
    }
    case 'type': {
      const expected = String(e.params.type).split(',');
      const node = at.found.node;
      const unquoted = isScalar(node) && node.type === 'PLAIN' && node.value !== null && typeof node.value !== 'string';
      const py = path.join('.') === 'python_version' && node?.range ? pythonVersion(String(e.data)) : undefined;
      const advice = py
        ? ` Write \`${py}\`.`
        : path[0] === 'secrets' && path.length === 2
          ? ' Set it to `null` and keep the value in Baseten.'
          : path.join('.') === 'resources.memory'
            ? ' Write it with a unit, such as "2Gi" or "512Mi".'
            : ' Quote it to make it a string.';
      const quote = unquoted && expected.includes('string') ? advice : '';
      const choices = e.data === null ? ((e.parentSchema as { enum?: unknown[] } | undefined)?.enum ?? []) : [];
      const message = choices.length
        ? `${name} needs a value: one of ${choices.map((c) => `\`${String(c)}\``).join(', ')}.`
        : `${name} must be ${describeTypes(expected)}, not ${describeValue(e.data)}.${quote}`;
      report({ code: 'invalid-type', range: nodeRange(), message, data: { path, expected } });
      return;
    }
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[]).map(String);
      const candidates = typeof e.data === 'string' ? suggestValue(path, e.data, allowed) : [];
      const hint = candidates.length ? ` Did you mean \`${candidates[0]}\`?` : '';
      const message = `${name} must be one of ${allowed.map((a) => `\`${a}\``).join(', ')}.${hint}`;
      report({ code: 'invalid-value', range: nodeRange(), message, data: { path, allowed, candidates } });
      return;
    }
    case 'pattern': {
      const message = `${name} must be ${describePattern(String(e.params.pattern), path)}.`;
      report({ code: 'invalid-value', range: nodeRange(), message, data: { path } });
      return;
    }
    default:
      report({
        code: 'invalid-value',
        range: nodeRange(),
        message: `${name} ${e.message ?? 'is not valid'}.`,
        data: { path },
      });
  }
}

/**
 * The schema's errors, corrected for the values whose JS form loses what pydantic sees (Special): a
 * float with no fraction is a number to ajv but pydantic refuses it where it wants a strict int, and
 * `.nan` or `.inf` are floats pydantic takes where it wants a float; a date, and bytes that are not
 * UTF-8, are refused wherever the model wants a type; `!!binary` text is refused by an enum.
 */
function withSpecials(
  parsed: ParsedDocument,
  value: unknown,
  errors: ErrorObject[],
): { errors: ErrorObject[]; extra: SchemaReport[] } {
  const specials = parsed.specials.filter((s) => s.kind !== 'set' && s.kind !== 'key');
  if (!specials.length) return { errors, extra: [] };
  const places = placesOf(
    value,
    specials.map((s) => s.path),
  );
  const at = (p: string) => errors.filter((e) => e.instancePath === p);
  const drop = new Set<ErrorObject>();
  const extra: SchemaReport[] = [];
  for (const s of specials) {
    const p = pointer(s.path);
    const place = places.get(p);
    const v = get(value, s.path);
    if (s.kind === 'float' && typeof v === 'number') {
      if (!place) continue;
      const finiteInt = Number.isInteger(v);
      // A float field takes any float; a lax int field (a whole number, or one written as text) takes
      // one with no fraction; a bool field 1.0 and 0.0 (ajv sees 1 and 0, as it should).
      const laxInt = place.patterns.some((x) => x.includes('(?:_[0-9]+)*'));
      const lax = place.types.includes('number') || (finiteInt && laxInt);
      const strict = finiteInt && place.types.includes('integer') && !laxInt && !place.types.includes('boolean');
      if (lax) at(p).forEach((e) => e.keyword === 'type' && drop.add(e));
      else if (strict && !at(p).length) {
        const range = rangeAt(parsed, s.path);
        const message =
          `${nameOf(s.path)} must be a whole number written without a decimal point or exponent: truss reads ` +
          'it strictly, and YAML reads this one as a float.';
        extra.push({ code: 'invalid-type', range, message, data: { path: s.path, expected: ['integer'] } });
      }
    } else if (s.kind === 'date' || s.kind === 'bytes') {
      // ajv takes these objects for mappings: only the place's type tells.
      for (const e of errors) if (e.instancePath === p || e.instancePath.startsWith(`${p}/`)) drop.add(e);
      if (place && (place.types.length || place.enum)) {
        const types = place.types.length ? place.types : ['string'];
        const what =
          s.kind === 'date'
            ? 'a date (YAML reads this value as a timestamp)'
            : 'binary data that is not UTF-8 text (`!!binary`)';
        const quote = s.kind === 'date' && types.includes('string') ? ' Quote it to make it a string.' : '';
        extra.push({
          code: 'invalid-type',
          range: rangeAt(parsed, s.path),
          message: `${nameOf(s.path)} must be ${describeTypes([...new Set(types)])}, not ${what}.${quote}`,
          data: { path: s.path, expected: [...new Set(types)] },
        });
      }
    } else if (s.kind === 'binary' && RAW_TEXT.has(s.path.join('\0'))) {
      extra.push({
        code: 'invalid-value',
        range: rangeAt(parsed, s.path),
        message:
          `truss reads ${nameOf(s.path)} as text before pydantic does, and \`!!binary\` makes bytes: it fails ` +
          'to load the file. Write the text itself.',
        data: { path: s.path },
      });
    } else if (s.kind === 'binary' && LITERALS.has(s.path.join('\0')) && !at(p).length) {
      const allowed = (place?.enum ?? []).map((a) => `\`${String(a)}\``).join(', ');
      extra.push({
        code: 'invalid-value',
        range: rangeAt(parsed, s.path),
        message:
          `${nameOf(s.path)} must be one of ${allowed}: \`!!binary\` makes bytes, and this field of truss ` +
          '(a `Literal`) takes only text.',
        data: { path: s.path },
      });
    }
  }
  return { errors: errors.filter((e) => !drop.has(e)), extra };
}

/** Fields a validator of truss reads raw, before pydantic turns bytes into text: bytes make it fail. */
const RAW_TEXT = new Set(
  [
    ['resources', 'accelerator'],
    ...['engine_builder_version', 'briton_version', 'bei_version', 'bei_bert_version'].map((k) => [
      'trt_llm',
      'version_overrides',
      k,
    ]),
  ].map((p) => p.join('\0')),
);

/** Fields typed `Literal[...]` in truss's model: pydantic refuses bytes there (an `Enum` takes UTF-8 bytes). */
const LITERALS = new Set(
  [
    ['runtime', 'transport', 'kind'],
    ['trt_llm', 'inference_stack'],
    ['trt_llm', 'runtime', 'webserver_default_route'],
    ['trt_llm', 'build', 'speculator', 'runtime', 'webserver_default_route'],
  ].map((p) => p.join('\0')),
);

/** Mappings of truss's model whose keys must be strings (`dict[str, …]`); `secrets` has its own rule. */
const STRING_KEYS = [
  ['model_metadata'],
  ['environment_variables'],
  ['build', 'arguments'],
  ['build', 'secret_to_path_mapping'],
  ['bis_llm', 'config'],
  ['trt_llm', 'build', 'lora_adapters'],
  ['trt_llm', 'runtime', 'patch_kwargs'],
].map((p) => p.join('\0'));

/** A key YAML reads as a number, a boolean, null or a date, in a mapping whose keys truss wants as text. */
function checkKeys(parsed: ParsedDocument, report: (r: SchemaReport) => void): void {
  for (const s of parsed.specials) {
    if (s.kind !== 'key' || !STRING_KEYS.includes(s.path.slice(0, -1).join('\0'))) continue;
    const at = locate(parsed, s.path);
    const range =
      at.depth === s.path.length && at.found.pair ? parsed.keyRange(at.found.pair) : rangeAt(parsed, s.path);
    report({
      code: 'invalid-type',
      range,
      message:
        `Every key of \`${s.path.slice(0, -1).join('.')}\` must be a string, and YAML reads this one as a ` +
        'number, a boolean, null or a date: truss rejects the file. Quote it.',
      data: { path: s.path, expected: [] },
    });
  }
}

/** The free-form values of truss's model (`Any`): `truss push` writes them out as JSON. */
const FREE_VALUES = [
  ['model_metadata'],
  ['build', 'arguments'],
  ['bis_llm', 'config'],
  ['trt_llm', 'runtime', 'patch_kwargs'],
];
/** pydantic gives up serializing a free-form value nested deeper than this, the mapping that holds it included. */
export const SERIALIZE_DEPTH = 256;

/**
 * Free-form values `truss push` cannot write out: nested deeper than pydantic serializes ("Circular
 * reference detected (depth exceeded)"), or holding bytes that are not UTF-8.
 */
function checkFreeValues(parsed: ParsedDocument, value: unknown, report: (r: SchemaReport) => void): void {
  for (const path of FREE_VALUES) {
    const map = get(value, path);
    if (!isObj(map)) continue;
    for (const [k, v] of Object.entries(map)) {
      const depth = 1 + depthOf(v, SERIALIZE_DEPTH + 2);
      const bytes = hasBytes(v, 0);
      if (depth <= SERIALIZE_DEPTH && !bytes) continue;
      const why = bytes
        ? 'holds binary data that is not UTF-8 text (`!!binary`), which `truss push` cannot write out as JSON'
        : `is nested ${depth} levels deep (with its mapping): \`truss push\` stops at ${SERIALIZE_DEPTH} ` +
          '("Circular reference detected (depth exceeded)")';
      report({
        code: 'invalid-value',
        range: rangeAt(parsed, [...path, k]),
        message: `\`${[...path, k].join('.')}\` ${why}.`,
        data: { path: [...path, k] },
      });
    }
  }
}

/**
 * The float fields of truss's model that are not Optional and that `truss push` writes out with
 * infinity and NaN as null. (`bis_llm`'s autoscaling `target` keeps them: truss takes `.inf` there.)
 */
const FLOATS = [
  ['trt_llm', 'runtime', 'kv_cache_free_gpu_mem_fraction'],
  ['trt_llm', 'build', 'speculator', 'runtime', 'kv_cache_free_gpu_mem_fraction'],
];

/** Whether pydantic reads the value as a float that is infinite or not a number (`.nan`, `"inf"`, `"1e400"`). */
function notFinite(v: unknown): boolean {
  if (typeof v === 'number') return !Number.isFinite(v);
  if (typeof v !== 'string') return false;
  const t = v.replace(new RegExp(`^${WHITE_SPACE}+|${WHITE_SPACE}+$`, 'gu'), '').replace(/_/g, '');
  return (
    /^[-+]?(?:inf|infinity|nan)$/i.test(t) ||
    (/^[-+]?(?:\d+\.?\d*|\.\d+)e[-+]?\d+$/i.test(t) && !Number.isFinite(Number(t)))
  );
}

/**
 * A float field that is not Optional, holding infinity or NaN: `truss push` writes the config out as
 * JSON, where they become null, and validates it again, and null is not a float.
 */
function checkFiniteFloats(parsed: ParsedDocument, value: unknown, report: (r: SchemaReport) => void): void {
  for (const path of FLOATS) {
    if (!notFinite(get(value, path))) continue;
    report({
      code: 'invalid-value',
      range: rangeAt(parsed, path),
      message:
        `${nameOf(path)} must be a finite number: \`truss push\` writes infinity and NaN out as null, and ` +
        'then refuses null here.',
      data: { path },
    });
  }
}

/** Levels of a value: a scalar or an empty collection is 1; counted up to `limit`. */
function depthOf(v: unknown, limit: number): number {
  if (limit <= 0) return 0;
  const items = Array.isArray(v) ? v : v instanceof Set ? [...v] : isObj(v) ? Object.values(v) : undefined;
  if (!items) return 1;
  let max = 0;
  for (const x of items) max = Math.max(max, depthOf(x, limit - 1));
  return 1 + max;
}

function hasBytes(v: unknown, depth: number): boolean {
  if (v instanceof Bytes) return true;
  if (depth > SERIALIZE_DEPTH + 2) return false;
  const items = Array.isArray(v) ? v : v instanceof Set ? [...v] : isObj(v) ? Object.values(v) : [];
  return items.some((x) => hasBytes(x, depth + 1));
}

function get(v: unknown, path: readonly string[]): unknown {
  let cur = v;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** The range of the value at a path (or of the closest node found). */
function rangeAt(parsed: ParsedDocument, path: string[]): Range {
  const at = locate(parsed, path);
  const exact = at.depth === path.length;
  return (
    (at.found.pair && (exact ? parsed.valueRange(at.found.pair) : parsed.keyRange(at.found.pair))) ??
    parsed.nodeRange(at.found.node) ??
    parsed.range(0, 0)
  );
}

function nameOf(path: string[]): string {
  const last = path[path.length - 1];
  if (!path.length) return 'The document';
  return /^\d+$/.test(last) ? `Entry ${Number(last) + 1} of \`${path[path.length - 2]}\`` : `\`${last}\``;
}

/** A pattern of the schema in words: the lax forms truss reads as numbers and booleans, and ids. */
function describePattern(pattern: string, path: string[]): string {
  if (pattern.includes('[Tt][Rr][Uu][Ee]')) return 'true or false';
  if (pattern.includes('(?:_[0-9]+)*')) return 'a whole number';
  if (pattern.includes('[eE]')) return 'a number';
  if (path[path.length - 1] === 'repo') return 'a Hugging Face repository id, such as `meta-llama/Llama-3.1-8B`';
  if (pattern.startsWith('^[\\p{Nd}')) return 'a version that starts with a digit';
  if (pattern.includes('[\\s\\S]{2,}')) return 'empty or at least 2 characters long';
  return 'in the form truss accepts';
}

/** The value a user most likely meant, for an enum value truss refuses. */
function suggestValue(path: string[], value: string, allowed: string[]): string[] {
  const where = path.join('.');
  if (where === 'python_version') {
    const py = pythonVersion(value);
    if (py) return [py];
  }
  if (where === 'trt_llm.build.base_model' && /^(palmyra|qwen|llama|mistral|deepseek)$/i.test(value))
    return ['decoder'];
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
  return orList(types.map((t) => TYPE_NAMES[t] ?? t));
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Date) return 'a date';
  if (v instanceof Bytes) return 'binary data that is not UTF-8 text';
  if (typeof v === 'boolean') return 'a boolean (YAML reads yes, no, on, off, true and false as booleans)';
  if (typeof v === 'number') return 'a number';
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v}`;
}

/**
 * The schema is the newest truss's: a key or value the user's release knows is not reported (the
 * `truss-release` rule says which release dropped it), and for a truss newer than our data an
 * unknown key or value is a warning that says so, never an error only our age explains.
 */
function releaseAware(ctx: {
  release?: string;
  shipped?: ShippedSchema;
  trussSays?: TrussAnswer;
  parsed: ParsedDocument;
  report: (r: SchemaReport) => void;
}): (r: SchemaReport) => void {
  const { release, parsed, shipped, trussSays } = ctx;
  if (!release) return (r) => ctx.report(r);
  const item = (r: SchemaReport) =>
    r.code === 'unknown-key'
      ? keyItem([...r.data.path, r.data.key])
      : r.code === 'invalid-value'
        ? valueItem(r.data.path, stringValue(exactly(parsed, r.data.path)?.node))
        : undefined;
  const shippedItem = (r: SchemaReport) =>
    r.code === 'unknown-key'
      ? keyItem([...r.data.path, r.data.key])
      : r.code === 'invalid-value'
        ? `value:${keyItem(r.data.path).slice('key:'.length)}=${stringValue(exactly(parsed, r.data.path)?.node)}`
        : '';
  return (r) => {
    const it = item(r);
    // A key the newest truss knows and the user's does not: `not-in-release` says so, once.
    if (r.code === 'unknown-key' && it && knows(it, NEWEST) === true && knows(it, release) === false) return;
    if (r.code === 'unknown-key' && ignoresUnknownUnder(r.data.path, release)) {
      // Before `validate_forbid_extra`, `truss push` ignored keys it did not know, and some mappings still do.
      const refused = '`truss push` rejects it ("Extra fields not allowed")';
      const ignored = `truss ${release} ignores it (later releases refuse it)`;
      const message = r.message.includes(refused)
        ? r.message.replace(refused, ignored)
        : `${r.message} ${ignored.replace(/^t/, 'T')}.`;
      return ctx.report({ ...r, severity: 'warning', message });
    }
    const newValue = r.code === 'invalid-value' && r.data.allowed !== undefined;
    if (isNewer(release) && (r.code === 'unknown-key' || newValue)) {
      // The newer truss itself was asked (it says what it refuses), or the schema it ships knows it: nothing
      // to say. Else a warning.
      if (trussSays?.version === release) return;
      if (shipped?.version === release && shipped.items.has(shippedItem(r))) return;
      const note = ` The checker's data (truss ${NEWEST}) is older than your truss ${release}, which may know it.`;
      return ctx.report({ ...r, severity: 'warning', message: r.message + note });
    }
    if (r.code === 'missing-required') {
      // A key the newest truss requires and the user's does not: nothing fails at their push.
      const check = requiredItem([...r.data.path, r.data.key]);
      const unknown = knows(keyItem([...r.data.path, r.data.key]), release) === false;
      if (unknown || (holds(check, release) === false && checksTypes(r.data.path, release) === true)) {
        const since = firstAfter(check, release);
        const message =
          `truss ${release} does not require \`${r.data.key}\` here, so nothing fails at push` +
          (since ? `; truss ${since} and later refuse the file without it.` : '.');
        return ctx.report({ ...r, severity: 'information', message });
      }
    }
    if (r.code === 'invalid-type' && checksTypes(r.data.path, release) === false) {
      // Before `TrussConfig` was a pydantic model (truss 0.9.78), its own fields were not checked.
      const since = firstAfter('typed:', release);
      const message = `${r.message} truss ${release} does not check this; truss ${since} and later do.`;
      return ctx.report({ ...r, severity: 'information', message });
    }
    if (!it) return ctx.report(r);
    // A value the user's release knows: fine, unless a check of that release refuses it all the same.
    const renamed = it.startsWith('enum:TrussTRTLLMModel=') && holds('raised:trt-llm-base-model-renamed', release);
    if (knows(it, release) !== true || renamed) ctx.report(r);
  };
}
