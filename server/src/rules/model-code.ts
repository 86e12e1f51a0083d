import { code, defineRule, type RuleInput } from '../core/rule';
import { looksLikeCredential } from '../core/truss/credentials';
import { addSecrets } from '../core/truss/secretEdits';
import { type SecretUse, trussUses } from '../core/truss/secretUses';
import { Candidates, closest } from '../core/truss/suggest';
import { DOCS, type Fix } from '../core/types';

/** Where a secret can be read besides the model code: the places `secretUses` looks in the config. */
const CONFIG_PLACES =
  '`base_image.docker_auth`, `weights`, `model_cache`, `trt_llm`, `build.secret_to_path_mapping`, ' +
  '`/secrets/` in `docker_server.start_command`, `build_commands` or `environment_variables`';

/**
 * Names truss and Baseten read without the config naming them: `hf_access_token` is the default
 * `runtime_secret_name` of `model_cache` and of a TRT-LLM checkpoint, and the Hugging Face token that
 * Baseten's servers hand to the Hugging Face libraries.
 */
const READ_BY_NAME = new Set(['hf_access_token']);

/** The reads of the model code that raise `SecretNotFound` on Baseten: not declared, not guarded. */
function undeclared({ parsed, facts, code }: RuleInput): Array<{ use: SecretUse; candidates: string[] }> {
  if (!code) return [];
  const out: Array<{ use: SecretUse; candidates: string[] }> = [];
  let declared: Candidates | undefined;
  for (const use of trussUses(parsed, facts, code).uses) {
    const read = use.read;
    if (!read || facts.secretNames.has(use.name) || read.guard) continue;
    // `kwargs.get("secrets") or {}` reads a plain `{}` when the config declares no secret.
    if (read.fallback && facts.secretNames.size === 0) continue;
    if (looksLikeCredential(use.name)) continue;
    out.push({ use, candidates: closest(use.name, (declared ??= new Candidates(facts.secretNames))) });
  }
  return out;
}

export const modelCode = defineRule({
  name: 'model-code',
  reads: ['secrets', 'model_module_dir', 'bundled_packages_dir', 'external_package_dirs'],
  codes: {
    'undeclared-secret-read': code<{ name: string; candidates: string[] }>({
      severity: 'warning',
      fix: 'safe',
      summary:
        'The model code reads a secret (`secrets["x"]`, `.get`, `in`, `/secrets/x`, `TRUSS_SECRET_x`) that ' +
        "`config.yaml`'s `secrets` does not declare: truss raises `SecretNotFound` at load.",
      source: 'truss/templates/shared/secrets_resolver.py (Secrets.__getitem__)',
      href: DOCS.secrets,
      docs: {
        description:
          "truss passes the model's `__init__` a `secrets` mapping that holds only the names `config.yaml` " +
          'declares under `secrets`. Reading any other name raises `SecretNotFound`, and since that is a plain ' +
          '`Exception` and not a `KeyError`, `secrets.get("x")` and `"x" in secrets` raise it too. The model then ' +
          'fails at load on Baseten, minutes after `truss push`. The model code is what truss packages: ' +
          '`model_module_dir` (by default `model/`), `bundled_packages_dir` (`packages/`) and ' +
          '`external_package_dirs`. A read is not reported inside a `try` that catches `SecretNotFound`, ' +
          '`Exception` or broader, under an `if` that tests the mapping, its `len` or `_base_secrets`, when the ' +
          'mapping was bound as `kwargs.get("secrets") or {}` and the config declares no secret, or when the ' +
          'mapping comes from somewhere the checker cannot follow.',
        bad: `model_name: my-model
secrets:
  hf_access_token: null
`,
        python: {
          path: 'model/model.py',
          bad: `class Model:
    def __init__(self, **kwargs):
        self._secrets = kwargs["secrets"]

    def load(self):
        self._token = self._secrets["hf_access_token"]
        self._key = self._secrets.get("openai_api_key")
`,
        },
        good: `model_name: my-model
secrets:
  hf_access_token: null
  openai_api_key: null
`,
        fix:
          'Adds `<name>: null` under `secrets` in `config.yaml`, keeping its comments and style. When a declared ' +
          'secret has a close name, the preferred fix changes the read to that name instead, and `--fix` applies ' +
          'neither.',
      },
    }),
    'unused-secret': code<{ name: string }>({
      severity: 'hint',
      summary:
        'A secret declared under `secrets` that nothing in the Truss reads: neither the model code nor a field ' +
        'of the config.',
      source: 'docs.baseten.co/development/model/secrets',
      href: DOCS.secrets,
      docs: {
        description:
          'Every name under `secrets` must exist in the Baseten workspace for the deployment to get it. A name ' +
          'that neither the model code nor the config reads (' +
          CONFIG_PLACES +
          ') is most often a leftover or a typo of the name the code reads. `hf_access_token` is never reported: ' +
          'truss reads it by that name (the default secret of `model_cache` and of TRT-LLM checkpoints, the ' +
          "Hugging Face token of Baseten's servers). It is not reported for a Truss without " +
          'Python files, nor when the model code hands the mapping on where its reads cannot be followed ' +
          '(to another function, a loop, a key in a variable).',
        bad: `model_name: my-model
secrets:
  hf_access_token: null
  old_api_key: null
`,
        python: {
          path: 'model/model.py',
          bad: `class Model:
    def __init__(self, **kwargs):
        self._secrets = kwargs["secrets"]

    def load(self):
        self._token = self._secrets["hf_access_token"]
`,
        },
        good: `model_name: my-model
secrets:
  hf_access_token: null
`,
      },
    }),
  },
  check(ctx) {
    const { parsed, facts, code, report } = ctx;
    for (const { use, candidates } of undeclared(ctx)) {
      const hint = candidates.length ? ` Did you mean \`${candidates[0]}\`?` : '';
      const kind = use.read?.kind;
      const how =
        kind === 'path'
          ? `Baseten mounts only declared secrets, so \`/secrets/${use.name}\` does not exist`
          : kind === 'env'
            ? `Baseten sets only the declared secrets, so \`TRUSS_SECRET_${use.name}\` is not set`
            : 'truss raises `SecretNotFound` for it (`.get` and `in` raise it too, it is not a `KeyError`)';
      report({
        code: 'undeclared-secret-read',
        range: use.range,
        file: use.file,
        message:
          `The model code reads the secret \`${use.name}\`, but \`secrets\` in config.yaml does not declare it: ` +
          `${how}. Add \`${use.name}: null\` under \`secrets\`.${hint}`,
        data: { name: use.name, candidates },
      });
    }

    // Without model code (none given, or a Truss with no Python file: a custom server's scripts may read
    // anything) nothing can be said about what reads a secret.
    if (!code || code.files.length === 0) return;
    const all = trussUses(parsed, facts, code);
    if (all.opaque.length) return; // the mapping goes where its reads cannot be followed
    const read = new Set(all.uses.filter((u) => u.kind !== 'declaration').map((u) => u.name));
    const folders = all.looked.map((d) => `\`${d}/\``).join(', ');
    for (const e of facts.secretEntries) {
      if (read.has(e.name) || READ_BY_NAME.has(e.name)) continue;
      report({
        code: 'unused-secret',
        range: parsed.keyRange(e.pair),
        message:
          `Nothing in this Truss reads the secret \`${e.name}\`: not the model code (${folders}), nor ` +
          `${CONFIG_PLACES}. Remove it if it is a leftover.`,
        data: { name: e.name },
      });
    }
  },
  fixes: {
    'undeclared-secret-read'(finding, { parsed, facts }) {
      const { name, candidates } = finding.data;
      const fixes: Fix[] = [];
      const candidate = candidates[0];
      if (candidate && finding.file) {
        fixes.push({
          title: `Read the declared secret \`${candidate}\``,
          edits: [],
          files: { [finding.file]: [{ range: finding.range, newText: candidate }] },
          preferred: true,
        });
      }
      const add = addSecrets(parsed, facts, [name]);
      if (add) {
        fixes.push({
          title: `Add \`${name}: null\` to secrets in config.yaml`,
          edits: [add],
          preferred: !candidate,
          safe: !candidate,
          intent: [{ path: ['secrets', name], to: null }],
        });
      }
      return fixes;
    },
  },
});
