import { Pair } from 'yaml';
import { Analysis } from '../core/analysis';
import { addEntries, removeEntry, setValue } from '../core/edit';
import { AuthMethod, AWS_OIDC_FIELDS, GCP_OIDC_FIELDS, METHOD_FIELDS } from '../core/facts';
import { findPair, isNullScalar, stringValue } from '../core/parse';
import { PLACEHOLDERS } from '../core/placeholders';
import { code, defineRule, PENDING_DOCS } from '../core/rule';
import { DOCS, Fix } from '../core/types';
import { yamlString } from '../core/yamlText';

const AWS_SECRET_NAME_FIELDS = ['aws_access_key_id_secret_name', 'aws_secret_access_key_secret_name'];

const SOURCE = 'truss/base/truss_config.py `DockerAuthSettings.validate_auth_fields`';

type FieldData = { method: AuthMethod; field: string };

export const methodFields = defineRule({
  name: 'method-fields',
  codes: {
    'missing-method-field': code<{ method: AuthMethod; missing: string[] }>({
      severity: 'error',
      summary: 'A field the chosen `auth_method` requires is missing or empty.',
      source: SOURCE,
      href: DOCS.privateRegistries,
      docs: PENDING_DOCS,
    }),
    'forbidden-method-field': code<FieldData>({
      severity: 'error',
      summary: 'A field the chosen `auth_method` does not allow is set.',
      source: SOURCE,
      href: DOCS.privateRegistries,
      docs: PENDING_DOCS,
    }),
    'ignored-auth-field': code<FieldData>({
      severity: 'warning',
      summary:
        'An OIDC field under `AWS_IAM`/`REGISTRY_SECRET` (warning), or an `aws_*_secret_name` under a method other than `AWS_IAM` (information): accepted, never used.',
      source: SOURCE,
      href: DOCS.privateRegistries,
      docs: PENDING_DOCS,
    }),
  },
  check({ parsed, facts, report }) {
    const method = facts.authMethod?.method;
    const map = facts.dockerAuthMap;
    if (!method || !map || !facts.dockerAuth) return;
    const set = new Map<string, Pair>();
    const empty = new Map<string, Pair>();
    for (const pair of map.items) {
      const key = stringValue(pair.key);
      if (key === undefined) continue;
      const value = parsed.resolve(pair.value);
      if (isNullScalar(value) || stringValue(value) === '') empty.set(key, pair);
      else set.set(key, pair);
    }

    const { required, forbidden } = METHOD_FIELDS[method];
    const missing = required.filter((f) => !set.has(f));
    if (missing.length) {
      const absent = missing.some((f) => !empty.has(f));
      report({
        code: 'missing-method-field',
        range: absent ? parsed.keyRange(facts.dockerAuth) : parsed.valueRange(empty.get(missing[0])!),
        message: `${missing.join(', ')} must be provided when auth_method is ${method}.`,
        data: { method, missing },
      });
    }
    for (const field of forbidden) {
      const pair = set.get(field);
      if (!pair) continue;
      report({
        code: 'forbidden-method-field',
        range: parsed.keyRange(pair),
        message: `${field} cannot be specified when auth_method is ${method}.`,
        data: { method, field },
      });
    }

    if (method === 'AWS_IAM' || method === 'REGISTRY_SECRET') {
      for (const field of [...AWS_OIDC_FIELDS, ...GCP_OIDC_FIELDS]) {
        const pair = set.get(field);
        if (!pair) continue;
        report({
          code: 'ignored-auth-field',
          range: parsed.keyRange(pair),
          message: `${field} is ignored when auth_method is ${method}: only the OIDC methods use it.`,
          data: { method, field },
        });
      }
    }
    if (method !== 'AWS_IAM') {
      for (const field of AWS_SECRET_NAME_FIELDS) {
        const pair = set.get(field);
        if (!pair) continue;
        report({
          code: 'ignored-auth-field',
          range: parsed.keyRange(pair),
          message: `${field} has no effect when auth_method is ${method}: only AWS_IAM reads it.`,
          data: { method, field },
          severity: 'information',
        });
      }
    }
  },
  fixes: {
    'missing-method-field'(finding, { parsed, facts }) {
      const map = facts.dockerAuthMap;
      if (!map || !facts.dockerAuth) return [];
      const { missing } = finding.data;
      const value = (f: string) => yamlString(PLACEHOLDERS[f]?.(facts) ?? 'TODO');
      const edits = [];
      const absent: string[] = [];
      for (const field of missing) {
        const pair = findPair(map, field);
        if (pair) {
          const edit = setValue(parsed, pair, value(field));
          if (edit) edits.push(edit);
        } else absent.push(`${field}: ${value(field)}`);
      }
      if (absent.length) {
        const edit = addEntries(parsed, facts.dockerAuth, map, absent);
        if (edit) edits.push(edit);
      }
      const title = `Add ${missing.join(', ')} (fill in the placeholders)`;
      return edits.length ? [{ title, edits, preferred: true }] : [];
    },
    'forbidden-method-field': (finding, analysis) => removeField(finding.data.field, analysis, true),
    'ignored-auth-field': (finding, analysis) => removeField(finding.data.field, analysis, false),
  },
});

function removeField(field: string, { parsed, facts }: Analysis, preferred: boolean): Fix[] {
  const map = facts.dockerAuthMap;
  const pair = findPair(map, field);
  const edit = map && pair && removeEntry(parsed, map, pair);
  return edit ? [{ title: `Remove \`${field}\``, edits: [edit], preferred }] : [];
}
