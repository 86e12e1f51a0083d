import { isMap, isScalar } from 'yaml';
import { Rule } from '../core/rule';
import { locate } from '../core/parse';
import { setValue } from '../core/edit';
import { looksLikeCredential, looksLikeSecretAssignment } from '../core/credentials';
import { DOCS } from '../core/types';

const RESERVED = new Set(['PORT', 'HOSTNAME']);

export const environment: Rule = {
  codes: [
    {
      code: 'reserved-env-var',
      severity: 'warning',
      summary: '`PORT` or `HOSTNAME` under `environment_variables`: the platform overwrites them.',
      source: '`TrussConfig.from_dict` (`K8S_RESERVED_ENVIRONMENT_VARIABLES`)',
      href: DOCS.reference,
    },
    {
      code: 'env-null-value',
      severity: 'warning',
      summary: 'An environment variable set to `null`, which becomes the string `"None"`.',
      source: '`TrussConfig.from_dict` (`str(v)`)',
      href: DOCS.reference,
    },
    {
      code: 'credential-in-env',
      severity: 'warning',
      summary: 'An environment variable whose value looks like a credential: it belongs in `secrets`.',
      source: '`TrussConfig.environment_variables` description; docs.baseten.co/development/model/secrets',
      href: DOCS.secrets,
    },
  ],
  check({ parsed, report }) {
    const map = locate(parsed, ['environment_variables']).found.node;
    if (!isMap(map)) return;
    for (const pair of map.items) {
      if (!isScalar(pair.key)) continue;
      const name = String(pair.key.value);
      if (RESERVED.has(name)) {
        report('reserved-env-var', parsed.keyRange(pair), `The platform sets \`${name}\` and overwrites this value at runtime.`, { name });
      }
      const v = parsed.resolve(pair.value);
      if (v === null || (isScalar(v) && v.value === null)) {
        report('env-null-value', parsed.valueRange(pair), `\`${name}\` is null, which truss turns into the string "None". Use "" for an empty value.`, { name });
      } else if (isScalar(v) && typeof v.value === 'string' && (looksLikeCredential(v.value) || looksLikeSecretAssignment(name, v.value))) {
        // Never quote the value.
        report(
          'credential-in-env',
          parsed.valueRange(pair),
          `\`${name}\` looks like a credential written into the config, which \`truss push\` uploads. Store it as a Baseten secret, declare it under \`secrets\` with \`null\`, and read it from \`/secrets/<name>\` or the model's secrets.`,
          { name },
        );
      }
    }
  },
  fixes(finding, { parsed }) {
    if (finding.code !== 'env-null-value') return [];
    const map = locate(parsed, ['environment_variables']).found.node;
    const pair = isMap(map) ? map.items.find((p) => isScalar(p.key) && String(p.key.value) === finding.data?.name) : undefined;
    const edit = pair && setValue(parsed, pair, '""');
    return edit ? [{ title: 'Use an empty string', edits: [edit], preferred: true }] : [];
  },
};
