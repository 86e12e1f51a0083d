import { Pair } from 'yaml';
import { AWS_OIDC_FIELDS, GCP_OIDC_FIELDS, METHOD_FIELDS } from '../core/facts';
import { Rule } from '../core/rule';
import { findPair, isNullScalar, stringValue } from '../core/parse';
import { addEntries, removeEntry, setValue } from '../core/edit';
import { PLACEHOLDERS } from '../core/placeholders';
import { yamlString } from '../core/yamlText';
import { DOCS } from '../core/types';

const AWS_SECRET_NAME_FIELDS = ['aws_access_key_id_secret_name', 'aws_secret_access_key_secret_name'];

const SOURCE = 'truss/base/truss_config.py `DockerAuthSettings.validate_auth_fields`';

export const methodFields: Rule = {
  codes: [
    {
      code: 'missing-method-field',
      severity: 'error',
      summary: 'A field the chosen `auth_method` requires is missing or empty.',
      source: SOURCE,
      href: DOCS.privateRegistries,
    },
    {
      code: 'forbidden-method-field',
      severity: 'error',
      summary: 'A field the chosen `auth_method` does not allow is set.',
      source: SOURCE,
      href: DOCS.privateRegistries,
    },
    {
      code: 'ignored-auth-field',
      severity: 'warning',
      summary: 'An OIDC field under `AWS_IAM`/`REGISTRY_SECRET` (warning), or an `aws_*_secret_name` under a method other than `AWS_IAM` (information): accepted, never used.',
      source: SOURCE,
      href: DOCS.privateRegistries,
    },
  ],
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
      const range = absent ? parsed.keyRange(facts.dockerAuth) : parsed.valueRange(empty.get(missing[0])!);
      report('missing-method-field', range, `${missing.join(', ')} must be provided when auth_method is ${method}.`, {
        method,
        missing,
      });
    }
    for (const field of forbidden) {
      const pair = set.get(field);
      if (pair) {
        report('forbidden-method-field', parsed.keyRange(pair), `${field} cannot be specified when auth_method is ${method}.`, {
          method,
          field,
        });
      }
    }

    if (method === 'AWS_IAM' || method === 'REGISTRY_SECRET') {
      for (const field of [...AWS_OIDC_FIELDS, ...GCP_OIDC_FIELDS]) {
        const pair = set.get(field);
        if (pair) {
          report('ignored-auth-field', parsed.keyRange(pair), `${field} is ignored when auth_method is ${method}: only the OIDC methods use it.`, {
            method,
            field,
          });
        }
      }
    }
    if (method !== 'AWS_IAM') {
      for (const field of AWS_SECRET_NAME_FIELDS) {
        const pair = set.get(field);
        if (pair) {
          report(
            'ignored-auth-field',
            parsed.keyRange(pair),
            `${field} has no effect when auth_method is ${method}: only AWS_IAM reads it.`,
            { method, field },
            'information',
          );
        }
      }
    }
  },
  fixes(finding, { parsed, facts }) {
    const map = facts.dockerAuthMap;
    if (!map || !facts.dockerAuth) return [];
    if (finding.code === 'missing-method-field') {
      const missing = (finding.data?.missing ?? []) as string[];
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
      return edits.length ? [{ title: `Add ${missing.join(', ')} (fill in the placeholders)`, edits, preferred: true }] : [];
    }
    const field = String(finding.data?.field);
    const pair = findPair(map, field);
    const edit = pair && removeEntry(parsed, map, pair);
    return edit ? [{ title: `Remove \`${field}\``, edits: [edit], preferred: finding.code === 'forbidden-method-field' }] : [];
  },
};
