/**
 * Baseten's rules for secret names, in one place. Sources: docs.baseten.co/organization/secrets
 * ("non-alphanumeric characters are normalized": `hf_access_token` and `hf-access-token` are one
 * secret; case is kept) and truss's `Build.validate_secret_name`.
 */
import { REGISTRY_SECRET_PREFIX } from './registry';

/** The name Baseten stores a secret under: every non-alphanumeric character is the same. */
export function secretIdentity(name: string): string {
  return /^[A-Za-z0-9_]*$/.test(name) ? name : name.replace(/[^A-Za-z0-9]/g, '_');
}

/** True when Baseten stores both names as one secret. */
export function sameSecret(a: string, b: string): boolean {
  return secretIdentity(a) === secretIdentity(b);
}

/**
 * Why truss refuses a secret name (`Build.validate_secret_name`: build secrets, and every
 * secret before truss 0.9.78), or undefined.
 */
export function secretNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name === '') return 'Invalid secret name: it must be a non-empty string.';
  if (name.length > 253) return 'Secret names must be shorter than 253 characters.';
  if (name === '.' || name === '..') return `Secret name cannot be \`${name}\`.`;
  // Python's `re.match` with `$`: a line break may end the name.
  if (!name.startsWith(REGISTRY_SECRET_PREFIX) && !/^[-._a-zA-Z0-9]+\n?$/.test(name)) {
    return 'Secret names may use only letters, digits, `-`, `_` and `.` (`DOCKER_REGISTRY_…` names are exempt).';
  }
  return undefined;
}
