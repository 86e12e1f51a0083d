import { type CancellationToken, ResponseError } from 'vscode-languageserver';
import { redactCredentials } from '../core/truss/credentials';

/** Where failures are written: the client's output channel. */
export interface Log {
  error(message: string): void;
}

/**
 * Logs a failure: only the error's own first line and stack frames, never document text, and nothing
 * that looks like a credential (an error's message may quote what it failed on).
 */
export function logError(log: Log, what: string, e: unknown): void {
  const err = e instanceof Error ? e : new Error(String(e));
  const frames = (err.stack ?? '')
    .split('\n')
    .filter((l) => l.trimStart().startsWith('at '))
    .slice(0, 5);
  log.error(redactCredentials(`${what} failed: ${err.name}: ${err.message.split('\n')[0]}\n${frames.join('\n')}`));
}

/** `fn`'s result, or `fallback` when it throws (the failure is logged). */
export function safe<T>(log: Log, what: string, fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch (e) {
    logError(log, what, e);
    return fallback;
  }
}

/**
 * A request handler for the connection: a failure is logged and answered with `fallback`, but a
 * ResponseError (a refusal meant for the user, such as a refused rename) passes through.
 */
export function guarded<P, R>(
  log: Log,
  what: string,
  fallback: R,
  handler: (params: P, token?: CancellationToken) => Promise<R>,
): (params: P, token?: CancellationToken) => Promise<R> {
  return async (params, token) => {
    try {
      return await handler(params, token);
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      logError(log, what, e);
      return fallback;
    }
  };
}
