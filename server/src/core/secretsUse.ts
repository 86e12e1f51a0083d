import type { Analysis } from './analysis';
import { authField, awsIamSecrets } from './facts';
import { REGISTRY_SECRET_PREFIX } from './registry';

export interface SecretUse {
  name: string;
  /** What reads it, in a few words ("IAM key id for docker_auth"). */
  use: string;
}

/** The secrets this config reads by name: from docker_auth, and the image's pull credential. */
export function neededSecrets(analysis: Analysis): SecretUse[] {
  const { facts, parsed } = analysis;
  const out: SecretUse[] = [];
  const method = facts.authMethod?.method;
  const field = (key: string) => authField(parsed, facts, key)?.value;
  if (method === 'AWS_IAM') {
    const [keyId, secretKey] = awsIamSecrets(parsed, facts);
    out.push({ name: keyId.name, use: 'IAM key id for docker_auth' });
    out.push({ name: secretKey.name, use: 'IAM secret access key for docker_auth' });
  } else if (method === 'GCP_SERVICE_ACCOUNT_JSON' || method === 'REGISTRY_SECRET') {
    const name = field('secret_name');
    if (name)
      out.push({
        name,
        use:
          method === 'REGISTRY_SECRET'
            ? 'registry credential for docker_auth'
            : 'service-account JSON key for docker_auth',
      });
  }
  const reg = facts.image?.registry;
  if (reg && !facts.dockerAuthMap) {
    out.push({
      name: REGISTRY_SECRET_PREFIX + reg.secretKey,
      use: `pull credential for ${reg.kind === 'dockerhub' ? 'Docker Hub' : reg.host}`,
    });
  }
  return out;
}

/** What reads a declared secret, for hover. */
export function secretUses(analysis: Analysis, name: string): string[] {
  const uses = neededSecrets(analysis)
    .filter((n) => n.name === name)
    .map((n) => n.use);
  if (name.startsWith(REGISTRY_SECRET_PREFIX) && !uses.length) {
    uses.push(`pull credential for ${name.slice(REGISTRY_SECRET_PREFIX.length)}`);
  }
  return uses;
}
