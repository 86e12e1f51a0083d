/** The value of a `DOCKER_REGISTRY_` secret: base64 of `user:password`. */
export function registryCredential(user: string, password: string): string {
  return Buffer.from(`${user}:${password}`, 'utf8').toString('base64');
}
