import { isScalar } from 'yaml';
import { Rule } from '../core/rule';
import { replaceScalar } from '../core/edit';

export const authMethodCase: Rule = {
  codes: [
    {
      code: 'auth-method-case',
      severity: 'information',
      summary: '`auth_method` is not in upper case: truss accepts it, the published schema does not.',
      source: '`DockerAuthSettings._normalize_auth_method` vs truss/config.schema.json',
    },
  ],
  check({ parsed, facts, report }) {
    const m = facts.authMethod;
    if (!m?.method || m.raw === m.method) return;
    report(
      'auth-method-case',
      parsed.valueRange(m.pair),
      `Write \`${m.method}\` in upper case: truss upper-cases it, but truss's published schema (and editors that use it) reject other spellings.`,
      { expected: m.method },
    );
  },
  fixes(finding, { facts, parsed }) {
    const value = facts.authMethod?.pair.value;
    const expected = String(finding.data?.expected);
    const edit = isScalar(value) ? replaceScalar(parsed, value, expected) : undefined;
    return edit ? [{ title: `Change to \`${expected}\``, edits: [edit], preferred: true }] : [];
  },
};
