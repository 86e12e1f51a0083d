import { isMap, isScalar } from 'yaml';
import { looksLikeCredential, looksLikeSecretAssignment } from '../core/truss/credentials';
import { setValue } from '../core/yaml/edit';
import { exactly } from '../core/yaml/query';
import { code, defineRule } from '../core/rule';
import { DOCS } from '../core/types';

const RESERVED = new Set(['PORT', 'HOSTNAME']);

type Name = { name: string };

export const environment = defineRule({
  name: 'environment',
  codes: {
    'reserved-env-var': code<Name>({
      severity: 'warning',
      summary: '`PORT` or `HOSTNAME` under `environment_variables`: the platform overwrites them.',
      source: '`TrussConfig.from_dict` (`K8S_RESERVED_ENVIRONMENT_VARIABLES`)',
      href: DOCS.reference,
      docs: {
        description:
          'Flags `PORT` and `HOSTNAME` under `environment_variables`. The platform sets both in the running ' +
          'container (`HOSTNAME` is the pod name), so the value you write is overwritten at runtime and your ' +
          'code never sees it. truss only prints `Warning: the following environment variables are reserved ' +
          'by the platform and will be overwritten at runtime` when it loads the config, and the push goes ahead. ' +
          'Give the setting a name of your own and read that name in your code.',
        bad: `model_name: my-api-server
python_version: py311
environment_variables:
  PORT: "9000"
  LOG_LEVEL: info
resources:
  cpu: "2"
  memory: 4Gi
`,
        good: `model_name: my-api-server
python_version: py311
environment_variables:
  APP_PORT: "9000"
  LOG_LEVEL: info
resources:
  cpu: "2"
  memory: 4Gi
`,
      },
    }),
    'env-null-value': code<Name>({
      severity: 'warning',
      fix: 'editor',
      summary: 'An environment variable set to `null`, which becomes the string `"None"`.',
      source: '`TrussConfig.from_dict` (`str(v)`)',
      href: DOCS.reference,
      docs: {
        description:
          'Flags an environment variable with no value (`NAME:` or `NAME: null`). truss turns every value into ' +
          'a string with `str()`, so `null` reaches the container as the four-letter string `"None"`, with no ' +
          'warning. Code that tests whether the variable is set or non-empty then sees `"None"` and uses it as ' +
          'a real value. Write `""` for an empty value, or remove the variable.',
        bad: `model_name: chat-assistant
python_version: py311
requirements:
  - transformers==4.44.2
environment_variables:
  SYSTEM_PROMPT:
  TOKENIZERS_PARALLELISM: "false"
`,
        good: `model_name: chat-assistant
python_version: py311
requirements:
  - transformers==4.44.2
environment_variables:
  SYSTEM_PROMPT: ""
  TOKENIZERS_PARALLELISM: "false"
`,
        fix: 'Replaces the value with `""`, an empty string.',
      },
    }),
    'credential-in-env': code<Name>({
      severity: 'warning',
      summary: 'An environment variable whose value looks like a credential: it belongs in `secrets`.',
      source: '`TrussConfig.environment_variables` description; docs.baseten.co/development/model/secrets',
      href: DOCS.secrets,
      docs: {
        description:
          'Flags an environment variable whose value looks like a credential: a known token format, or a value ' +
          'with letters and digits under a name containing `TOKEN`, `SECRET`, `PASSWORD`, `API_KEY` or similar. ' +
          '`truss push` uploads the whole config to Baseten, so the value leaves your machine and ends up ' +
          'wherever `config.yaml` is committed; truss itself does not warn (its field description only says ' +
          '"Do not store secret values here"). Store the value as a Baseten secret, declare its name under ' +
          '`secrets` with `null`, and read it in the model from its secrets, or from `/secrets/<name>` in a ' +
          'custom server.',
        bad: `model_name: weather-forecaster
python_version: py311
requirements:
  - requests==2.32.3
environment_variables:
  WEATHER_API_KEY: my-api-key-1234
  UNITS: metric
`,
        good: `model_name: weather-forecaster
python_version: py311
requirements:
  - requests==2.32.3
environment_variables:
  UNITS: metric
secrets:
  weather_api_key: null
`,
      },
    }),
  },
  check({ parsed, report }) {
    const map = exactly(parsed, ['environment_variables'])?.node;
    if (!isMap(map)) return;
    for (const pair of map.items) {
      if (!isScalar(pair.key)) continue;
      const name = String(pair.key.value);
      if (RESERVED.has(name)) {
        report({
          code: 'reserved-env-var',
          range: parsed.keyRange(pair),
          message: `The platform sets \`${name}\` and overwrites this value at runtime.`,
          data: { name },
        });
      }
      const v = parsed.resolve(pair.value);
      if (v === null || (isScalar(v) && v.value === null)) {
        report({
          code: 'env-null-value',
          range: parsed.valueRange(pair),
          message: `\`${name}\` is null, which truss turns into the string "None". Use "" for an empty value.`,
          data: { name },
        });
      } else if (
        isScalar(v) &&
        typeof v.value === 'string' &&
        (looksLikeCredential(v.value) || looksLikeSecretAssignment(name, v.value))
      ) {
        // Never quote the value.
        report({
          code: 'credential-in-env',
          range: parsed.valueRange(pair),
          message:
            `\`${name}\` looks like a credential written into the config, which \`truss push\` uploads. ` +
            `Store it as a Baseten secret, declare it under \`secrets\` with \`null\`, and read it from ` +
            `\`/secrets/<name>\` or the model's secrets.`,
          data: { name },
        });
      }
    }
  },
  fixes: {
    'env-null-value'(finding, { parsed }) {
      const map = exactly(parsed, ['environment_variables'])?.node;
      const pair = isMap(map)
        ? map.items.find((p) => isScalar(p.key) && String(p.key.value) === finding.data.name)
        : undefined;
      const edit = pair && setValue(parsed, pair, '""');
      const intent = [{ path: ['environment_variables', finding.data.name], to: '' }];
      return edit ? [{ title: 'Use an empty string', edits: [edit], preferred: true, intent }] : [];
    },
  },
});
