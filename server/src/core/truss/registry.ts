import { REGISTRY_SECRET_PREFIX } from '../../../../protocol/protocol';
/** Docker Hub's key in a Docker config file, and so in a `DOCKER_REGISTRY_` secret name. */
export const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';

export { REGISTRY_SECRET_PREFIX };

const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

export type RegistryKind = 'dockerhub' | 'ecr' | 'google' | 'ghcr' | 'ngc' | 'other';

export interface ImageRegistry {
  /** Host as written in the image reference (`docker.io` for an implicit Docker Hub). */
  host: string;
  kind: RegistryKind;
  /** What follows `DOCKER_REGISTRY_` in the pull-credential secret for this registry. */
  secretKey: string;
}

/**
 * The registry an image reference pulls from, by Docker's rule: the first path
 * component is a host only if it has a `.` or `:` or is `localhost`.
 */
export function imageRegistry(image: string): ImageRegistry | undefined {
  const ref = image.trim();
  if (!ref) return undefined;
  const slash = ref.indexOf('/');
  const first = slash < 0 ? '' : ref.slice(0, slash);
  const isHost = first.includes('.') || first.includes(':') || first === 'localhost';
  if (!isHost || DOCKER_HUB_HOSTS.has(first.toLowerCase())) {
    return { host: isHost ? first : 'docker.io', kind: 'dockerhub', secretKey: DOCKER_HUB_KEY };
  }
  return { host: first, kind: kindOf(first), secretKey: first };
}

function kindOf(host: string): RegistryKind {
  const h = host.toLowerCase();
  if (/\.dkr\.ecr\.[^.]+\.amazonaws\.com(\.cn)?$/.test(h)) return 'ecr';
  if (h === 'gcr.io' || h.endsWith('.gcr.io') || h.endsWith('-docker.pkg.dev')) return 'google';
  if (h === 'ghcr.io') return 'ghcr';
  if (h === 'nvcr.io') return 'ngc';
  return 'other';
}

/** The host part of a `registry` value or secret suffix: no scheme, no path, lower case. */
export function hostOf(value: string): string {
  return value
    .trim()
    .replace(/^[a-z]+:\/\//i, '')
    .split('/')[0]
    .toLowerCase();
}

/** True when a registry value or secret suffix names the same registry as the image. */
export function sameRegistry(value: string, reg: ImageRegistry): boolean {
  const host = hostOf(value);
  if (reg.kind === 'dockerhub') return DOCKER_HUB_HOSTS.has(host);
  return host === reg.host.toLowerCase();
}

/**
 * The registry a host names as the user typed it (`docker.io`, `https://index.docker.io/v1/`, `ghcr.io/`),
 * with the secret key the image's pull credential needs: Docker Hub in every spelling is Docker Hub.
 */
export function registryOfHost(value: string): ImageRegistry | undefined {
  const host = hostOf(value);
  if (!host) return undefined;
  if (DOCKER_HUB_HOSTS.has(host)) return { host: 'docker.io', kind: 'dockerhub', secretKey: DOCKER_HUB_KEY };
  return { host, kind: kindOf(host), secretKey: host };
}

/** The name of the secret Baseten reads a registry's pull credential from: the one spelling it finds. */
export function registrySecretName(reg: ImageRegistry): string {
  return REGISTRY_SECRET_PREFIX + reg.secretKey;
}

/** Hours a registry's pull token lives, when it expires (an ECR token from `get-login-password`: 12). */
export function credentialHours(kind: RegistryKind): number | undefined {
  return kind === 'ecr' ? 12 : undefined;
}

/** The registry a `DOCKER_REGISTRY_<suffix>` secret is for. */
export function registryOfSecret(suffix: string): ImageRegistry {
  const host = hostOf(suffix);
  if (DOCKER_HUB_HOSTS.has(host)) return { host: 'docker.io', kind: 'dockerhub', secretKey: DOCKER_HUB_KEY };
  return { host, kind: kindOf(host), secretKey: suffix };
}

/** The user name a registry dictates for its pull credential, if any. */
export function credentialUser(kind: RegistryKind): string | undefined {
  if (kind === 'ecr') return 'AWS';
  if (kind === 'ngc') return '$oauthtoken';
  return undefined;
}
