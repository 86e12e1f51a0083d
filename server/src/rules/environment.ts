import { isMap, isScalar } from 'yaml';
import { looksLikeCredential, looksLikeSecretAssignment } from '../core/credentials';
import { setValue } from '../core/edit';
import { locate } from '../core/parse';
import { code, defineRule, PENDING_DOCS } from '../core/rule';
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
      docs: PENDING_DOCS,
    }),
    'env-null-value': code<Name>({
      severity: 'warning',
      summary: 'An environment variable set to `null`, which becomes the string `"None"`.',
      source: '`TrussConfig.from_dict` (`str(v)`)',
      href: DOCS.reference,
      docs: PENDING_DOCS,
    }),
    'credential-in-env': code<Name>({
      severity: 'warning',
      summary: 'An environment variable whose value looks like a credential: it belongs in `secrets`.',
      source: '`TrussConfig.environment_variables` description; docs.baseten.co/development/model/secrets',
      href: DOCS.secrets,
      docs: PENDING_DOCS,
    }),
  },
  check({ parsed, report }) {
    const map = locate(parsed, ['environment_variables']).found.node;
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
          message: `\`${name}\` looks like a credential written into the config, which \`truss push\` uploads. Store it as a Baseten secret, declare it under \`secrets\` with \`null\`, and read it from \`/secrets/<name>\` or the model's secrets.`,
          data: { name },
        });
      }
    }
  },
  fixes: {
    'env-null-value'(finding, { parsed }) {
      const map = locate(parsed, ['environment_variables']).found.node;
      const pair = isMap(map)
        ? map.items.find((p) => isScalar(p.key) && String(p.key.value) === finding.data.name)
        : undefined;
      const edit = pair && setValue(parsed, pair, '""');
      return edit ? [{ title: 'Use an empty string', edits: [edit], preferred: true }] : [];
    },
  },
});
