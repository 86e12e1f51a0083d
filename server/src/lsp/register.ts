import { type Connection, type Disposable, RegistrationRequest, UnregistrationRequest } from 'vscode-languageserver';

let last = 0;

/**
 * Registers a capability with the client under an id of ours. The library's `client.register` makes a
 * UUID, and loading node's crypto for it was 9 ms of the server's start. Disposing unregisters it.
 */
export async function register(connection: Connection, method: string, registerOptions?: object): Promise<Disposable> {
  const id = `truss-config-${++last}`;
  await connection.sendRequest(RegistrationRequest.type, { registrations: [{ id, method, registerOptions }] });
  return {
    dispose: () => {
      connection.sendRequest(UnregistrationRequest.type, { unregisterations: [{ id, method }] }).catch(() => undefined);
    },
  };
}
