/**
 * Where each secret is used: the one computation behind `missing-secret`, hover, definition,
 * references, highlight, rename and completion.
 */
import { isMap, isScalar, isSeq, type Scalar } from 'yaml';
import { authField, AWS_KEY_ID_DEFAULT, AWS_SECRET_KEY_DEFAULT, type ConfigFacts } from './facts';
import { findPair, locate } from '../yaml/query';
import { type ParsedDocument } from '../yaml/parse';
import { REGISTRY_SECRET_PREFIX } from './registry';
import type { Range, Severity } from '../types';
import { type CodeRead, type ModelCode, codeDirs, fileReads } from './modelCode';

export interface SecretUse {
  name: string;
  /**
   * `declaration`: a key under `secrets`; `reference`: a field or a text that names the secret;
   * `implicit`: read without being named (AWS_IAM's default names, the image's pull credential).
   */
  kind: 'declaration' | 'reference' | 'implicit';
  /** The scalar that names it (for a `/secrets/<name>` path, the scalar that holds the path). */
  node?: Scalar;
  /** The name is part of a longer text (a `/secrets/<name>` path in a command). */
  inText?: boolean;
  /** The name itself; for an implicit use, the value that implies it. */
  range: Range;
  /** Where it is named, for messages: `base_image.docker_auth.secret_name`, `docker_server.start_command`… */
  where: string;
  /** What reads it, in a few words ("IAM key id for docker_auth"). */
  use: string;
  /** The docker_auth field that names it, or would (AWS_IAM's defaults). */
  field?: string;
  /** For docker_auth, who reads it, to start a sentence: "AWS_IAM reads the IAM access key id". */
  reads?: string;
  /** Baseten passes the secret only when `secrets` declares it: undeclared, it is `missing-secret`. */
  needsDeclaration: boolean;
  /** The severity of `missing-secret` when it is not declared. */
  severity: Severity;
  /**
   * The model code file the use is in (relative to the config's folder), with the read; absent: the
   * config. Its range is in that file.
   */
  file?: string;
  read?: CodeRead;
}

/** What a Python read is, in a few words: `secrets["x"]`, `secrets.get("x")`… */
export const READ_FORMS: Record<CodeRead['kind'], string> = {
  subscript: 'a subscript of the secrets mapping',
  get: '`.get` on the secrets mapping',
  in: 'an `in` test on the secrets mapping',
  path: 'the path `/secrets/<name>`',
  env: 'the environment variable `TRUSS_SECRET_<name>`',
};

/** The uses of a Truss: the config's, then the model code's reads; computed once per analysis. */
export interface TrussUses {
  uses: readonly SecretUse[];
  /** Whether model code was given (absent: nothing can be said about what reads a secret). */
  code: boolean;
  /** The folders of the Truss whose files were read, for messages. */
  looked: string[];
  /** Files where the mapping goes where its reads cannot be followed. */
  opaque: string[];
}

/** A read of the model code as a use: made once per file version, shared by every config analysis. */
function useOfRead(read: CodeRead): SecretUse {
  return {
    name: read.name,
    kind: 'reference',
    range: read.range,
    where: read.file,
    use: `read by the model code (${READ_FORMS[read.kind]})`,
    needsDeclaration: true,
    severity: 'warning',
    file: read.file,
    read,
  };
}

const codeUses = new WeakMap<readonly CodeRead[], SecretUse[]>();

const computedTruss = new WeakMap<ConfigFacts, { code: ModelCode | undefined; result: TrussUses }>();

/**
 * Every use of every secret across the Truss: the config's (`secretUses`) and, when the model code is
 * given, each read of the model code (`file` set, its range in that file). Python files are parsed once
 * per text (`core/python`), so this costs a config keystroke a lookup per file.
 */
export function trussUses(parsed: ParsedDocument, facts: ConfigFacts, code: ModelCode | undefined): TrussUses {
  const hit = computedTruss.get(facts);
  if (hit && hit.code === code) return hit.result;
  const looked = codeDirs(parsed.value);
  const config = secretUses(parsed, facts);
  if (!code) {
    const result = { uses: config, code: false, looked, opaque: [] };
    computedTruss.set(facts, { code, result });
    return result;
  }
  const uses: SecretUse[] = [...config];
  const opaque: string[] = [];
  for (const f of code.files) {
    const { found, reads } = fileReads(f);
    if (found.opaque) opaque.push(f.path);
    let made = codeUses.get(reads);
    if (!made) codeUses.set(reads, (made = reads.map(useOfRead)));
    for (const u of made) uses.push(u);
  }
  const result = { uses, code: true, looked, opaque };
  computedTruss.set(facts, { code, result });
  return result;
}

/**
 * `/secrets/<name>`: how a custom server or a build command reads a secret Baseten mounted. The path
 * starts the word (not `/run/secrets/…`) and the name runs as far as a secret name can.
 */
const MOUNTED = /(?<![\w.~/-])\/secrets\/([A-Za-z0-9][A-Za-z0-9._-]*)/g;

/** `text` with each `/secrets/<from>` (the whole name, not a prefix of a longer one) naming `to`. */
export function replaceMounted(text: string, from: string, to: string): string {
  return text.replace(MOUNTED, (m, name: string) => (name === from ? `/secrets/${to}` : m));
}

/** The uses of each analysis (its facts), computed once: several rules and features ask. */
const computed = new WeakMap<ConfigFacts, readonly SecretUse[]>();

export function secretUses(parsed: ParsedDocument, facts: ConfigFacts): readonly SecretUse[] {
  let uses = computed.get(facts);
  if (!uses) computed.set(facts, (uses = findUses(parsed, facts)));
  return uses;
}

function findUses(parsed: ParsedDocument, facts: ConfigFacts): SecretUse[] {
  const out: SecretUse[] = [];
  const named = (node: unknown, use: Omit<SecretUse, 'name' | 'range' | 'node' | 'severity'>, severity?: Severity) => {
    if (!isScalar(node) || typeof node.value !== 'string' || !node.value) return;
    const range = parsed.nodeRange(node);
    if (range) out.push({ name: node.value, node, range, severity: severity ?? 'warning', ...use });
  };

  for (const e of facts.secretEntries) {
    named(e.pair.key, { kind: 'declaration', where: 'secrets', use: 'declared', needsDeclaration: false });
  }

  const method = facts.authMethod?.method;
  const auth = (field: string, use: string, reads: string, severity: Severity = 'warning') =>
    named(
      findPair(facts.dockerAuthMap, field)?.value,
      { kind: 'reference', where: `base_image.docker_auth.${field}`, use, field, reads, needsDeclaration: true },
      severity,
    );
  if (method === 'AWS_IAM' && facts.authMethod) {
    const defaults: Array<[string, string, string, string]> = [
      [
        'aws_access_key_id_secret_name',
        AWS_KEY_ID_DEFAULT,
        'IAM key id for docker_auth',
        'AWS_IAM reads the IAM access key id',
      ],
      [
        'aws_secret_access_key_secret_name',
        AWS_SECRET_KEY_DEFAULT,
        'IAM secret access key for docker_auth',
        'AWS_IAM reads the IAM secret access key',
      ],
    ];
    for (const [field, fallback, use, reads] of defaults) {
      const f = authField(parsed, facts, field);
      if (f?.value) auth(field, use, reads);
      else if (!f || f.value === '' || (isScalar(f.pair.value) && f.pair.value.value === null)) {
        out.push({
          name: fallback,
          kind: 'implicit',
          range: parsed.valueRange(facts.authMethod.pair),
          where: `base_image.docker_auth.${field} (by default)`,
          use,
          field,
          reads,
          needsDeclaration: true,
          severity: 'warning',
        });
      }
    }
  } else if (method === 'GCP_SERVICE_ACCOUNT_JSON') {
    const reads = 'GCP_SERVICE_ACCOUNT_JSON reads the service-account JSON key';
    auth('secret_name', 'service-account JSON key for docker_auth', reads);
  } else if (method === 'REGISTRY_SECRET') {
    const reads = 'REGISTRY_SECRET reads the registry credential';
    auth('secret_name', 'registry credential for docker_auth', reads, 'information');
  } else {
    // Under another method these fields are ignored; they still name a secret for navigation.
    for (const field of ['secret_name', 'aws_access_key_id_secret_name', 'aws_secret_access_key_secret_name']) {
      named(findPair(facts.dockerAuthMap, field)?.value, {
        kind: 'reference',
        where: `base_image.docker_auth.${field}`,
        use: 'named by docker_auth, which does not read it under this auth_method',
        field,
        needsDeclaration: false,
      });
    }
  }

  const reg = facts.image?.registry;
  if (reg && facts.image && !facts.dockerAuthMap) {
    out.push({
      name: REGISTRY_SECRET_PREFIX + reg.secretKey,
      kind: 'implicit',
      range: parsed.valueRange(facts.image.pair),
      where: 'base_image.image',
      use: `pull credential for ${reg.kind === 'dockerhub' ? 'Docker Hub' : reg.host}`,
      needsDeclaration: false,
      severity: 'information',
    });
  }

  const list = (path: string[], each: (item: unknown) => void) => {
    const { found, depth } = locate(parsed, path);
    if (depth === path.length && isSeq(found.node)) found.node.items.forEach((item) => each(parsed.resolve(item)));
  };
  const field = (map: unknown, key: string) => (isMap(map) ? findPair(map, key)?.value : undefined);
  const ref = (where: string, use: string) => ({ kind: 'reference' as const, where, use, needsDeclaration: true });
  list(['weights'], (w) => {
    named(field(w, 'auth_secret_name'), ref('weights[].auth_secret_name', 'credential for weights'));
    const a = isMap(w) ? parsed.resolve(findPair(w, 'auth')?.value) : undefined;
    named(field(a, 'auth_secret_name'), ref('weights[].auth.auth_secret_name', 'credential for weights'));
  });
  list(['model_cache'], (m) => {
    named(field(m, 'runtime_secret_name'), ref('model_cache[].runtime_secret_name', 'credential for model_cache'));
  });
  const checkpoint = locate(parsed, ['trt_llm', 'build', 'checkpoint_repository', 'runtime_secret_name']);
  if (checkpoint.depth === 4) {
    const where = 'trt_llm.build.checkpoint_repository.runtime_secret_name';
    named(checkpoint.found.node, ref(where, 'credential for the TRT-LLM checkpoint'));
  }
  const mapping = locate(parsed, ['build', 'secret_to_path_mapping']);
  if (mapping.depth === 2 && isMap(mapping.found.node)) {
    for (const pair of mapping.found.node.items) {
      named(pair.key, ref('build.secret_to_path_mapping', 'build secret'));
    }
  }

  // `/secrets/<name>` read by a custom server, a build command or an environment value.
  const mounted = (node: unknown, where: string) => {
    if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return;
    const start = node.range[0];
    // The names as truss reads them, each matched to the same name in the text as written, in order:
    // a name written with escapes or folded across lines is not in the text, and cannot be pointed at.
    const written = [...parsed.text.slice(start, node.range[1]).matchAll(MOUNTED)];
    let next = 0;
    for (const m of node.value.matchAll(MOUNTED)) {
      const i = written.findIndex((w, k) => k >= next && w[1] === m[1]);
      if (i < 0) continue;
      next = i + 1;
      const at = start + written[i].index + '/secrets/'.length;
      out.push({
        name: m[1],
        kind: 'reference',
        node,
        inText: true,
        range: parsed.range(at, at + m[1].length),
        where,
        use: `read from /secrets/${m[1]} by ${where}`,
        needsDeclaration: true,
        severity: 'warning',
      });
    }
  };
  mounted(locate(parsed, ['docker_server', 'start_command']).found.node, 'docker_server.start_command');
  list(['build_commands'], (c) => mounted(c, 'build_commands'));
  const env = locate(parsed, ['environment_variables']);
  if (env.depth === 1 && isMap(env.found.node)) {
    for (const pair of env.found.node.items) mounted(parsed.resolve(pair.value), 'environment_variables');
  }
  return out;
}

/** The use under a position, if any. */
export function useAt(uses: readonly SecretUse[], line: number, character: number): SecretUse | undefined {
  return uses.find(
    (o) =>
      (o.range.start.line < line || (o.range.start.line === line && o.range.start.character <= character)) &&
      (o.range.end.line > line || (o.range.end.line === line && o.range.end.character >= character)),
  );
}
