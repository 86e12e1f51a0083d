import { Pair } from 'yaml';
import { authField, awsIamSecrets } from '../core/facts';
import { isScalar } from 'yaml';
import { Rule, RuleContext } from '../core/rule';
import { addEntries, addSecrets, replaceScalar } from '../core/edit';
import { findPair } from '../core/parse';
import { yamlString } from '../core/yamlText';
import { closest } from '../core/suggest';
import { DOCS, Fix, Severity } from '../core/types';

export const missingSecret: Rule = {
  codes: [
    {
      code: 'missing-secret',
      severity: 'warning',
      summary: 'A secret `docker_auth` reads is not declared under `secrets` (information for `REGISTRY_SECRET`).',
      source: 'docs.baseten.co/development/model/private-registries',
      href: DOCS.privateRegistries,
    },
  ],
  check(ctx) {
    const { facts } = ctx;
    const method = facts.authMethod?.method;
    if (!method || !facts.authMethod) return;
    if (method === 'AWS_IAM') {
      const what = ['the IAM access key id', 'the IAM secret access key'];
      awsIamSecrets(ctx.parsed, facts).forEach(({ field, name, pair, typeError }, i) => {
        if (typeError) return; // reported by the schema
        need(ctx, name, field, pair, `AWS_IAM reads ${what[i]} from the Baseten secret \`${name}\``, 'warning');
      });
      return;
    }
    if (method === 'GCP_SERVICE_ACCOUNT_JSON' || method === 'REGISTRY_SECRET') {
      const f = authField(ctx.parsed, facts, 'secret_name');
      if (!f?.value) return;
      const what = method === 'REGISTRY_SECRET' ? 'the registry credential' : 'the service-account JSON key';
      need(ctx, f.value, 'secret_name', f.pair, `${method} reads ${what} from the Baseten secret \`${f.value}\``, method === 'REGISTRY_SECRET' ? 'information' : 'warning');
    }
  },
  fixes(finding, { parsed, facts }) {
    const name = String(finding.data?.name);
    const field = String(finding.data?.field);
    const fixes: Fix[] = [];
    const candidate = ((finding.data?.candidates ?? []) as string[])[0];
    if (candidate) {
      const pair = findPair(facts.dockerAuthMap, field);
      const edit =
        pair && isScalar(pair.value)
          ? replaceScalar(parsed, pair.value, candidate)
          : addEntries(parsed, facts.dockerAuth, facts.dockerAuthMap, [`${field}: ${yamlString(candidate)}`]);
      if (edit) fixes.push({ title: `Use the declared secret \`${candidate}\``, edits: [edit], preferred: true });
    }
    const add = addSecrets(parsed, facts, [name]);
    if (add) fixes.push({ title: `Add \`${name}: null\` to secrets`, edits: [add], preferred: !candidate, safe: !candidate });
    return fixes;
  },
};

function need(ctx: RuleContext, name: string, field: string, pair: Pair | undefined, why: string, severity: Severity): void {
  const { facts, parsed } = ctx;
  if (facts.secretNames.has(name)) return;
  const candidates = closest(name, facts.secretNames);
  const hint = candidates.length ? ` Did you mean \`${candidates[0]}\`?` : '';
  const fix = facts.secretsMap ? `add \`${name}: null\` under \`secrets\`` : `add a \`secrets:\` section with \`${name}: null\``;
  const range = pair ? parsed.valueRange(pair) : parsed.valueRange(facts.authMethod!.pair);
  ctx.report(
    'missing-secret',
    range,
    `${why}, but \`secrets\` does not declare it: ${fix}, or the image pull fails.${hint}`,
    { name, field, explicit: !!pair, candidates },
    severity,
  );
}
