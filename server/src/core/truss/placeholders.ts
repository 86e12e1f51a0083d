import type { ConfigFacts } from './facts';
import type { ImageRegistry } from './registry';

/** Starting values for fields, filled from the image reference where it tells. */
export const PLACEHOLDERS: Record<string, (facts: ConfigFacts) => string> = {
  aws_oidc_role_arn: (f) => `arn:aws:iam::${ecrParts(f.image?.registry)?.account ?? 'ACCOUNT_ID'}:role/ROLE_NAME`,
  aws_oidc_region: (f) => ecrParts(f.image?.registry)?.region ?? 'us-east-1',
  gcp_oidc_service_account: (f) => `SERVICE_ACCOUNT@${gcpProject(f) ?? 'PROJECT'}.iam.gserviceaccount.com`,
  gcp_oidc_workload_id_provider: () =>
    'projects/PROJECT_NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER',
  secret_name: () => 'gcp-service-account',
  aws_access_key_id_secret_name: () => 'aws_access_key_id',
  aws_secret_access_key_secret_name: () => 'aws_secret_access_key',
  python_executable_path: () => '/usr/bin/python3',
};

export function ecrParts(reg: ImageRegistry | undefined): { account: string; region: string } | undefined {
  const m = reg?.kind === 'ecr' ? /^(\d+)\.dkr\.ecr\.([^.]+)\./.exec(reg.host) : null;
  return m ? { account: m[1], region: m[2] } : undefined;
}

function gcpProject(f: ConfigFacts): string | undefined {
  if (f.image?.registry?.kind !== 'google') return undefined;
  return f.image.value.trim().split('/')[1] || undefined;
}
