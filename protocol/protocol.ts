/**
 * The names and message shapes the VS Code client and the language server share: the one place
 * both import them from (see ARCHITECTURE.md). Types and constants only.
 */

/** Request `trussConfig/registryInfo`: the pull-credential secret the document's image needs. */
export const REGISTRY_INFO_REQUEST = 'trussConfig/registryInfo';

export interface RegistryInfoParams {
  uri: string;
}

/** What the credential command needs: the secret's name and the user name the registry dictates. */
export interface RegistryInfo {
  secretName: string;
  user: string;
}

/** Command: make a `DOCKER_REGISTRY_<registry>` value; its argument is a `Partial<RegistryInfo>`. */
export const CREATE_CREDENTIAL_COMMAND = 'trussConfig.createRegistryCredential';

/** The prefix of the secrets Baseten reads registry pull credentials from. */
export const REGISTRY_SECRET_PREFIX = 'DOCKER_REGISTRY_';
