// Every handler runs inside `guard`: an exception in one feature becomes an error response
// (for a request) or a logged message (for a notification), and the server keeps serving
// every other request. Cancellation is checked before the work starts and between the
// expensive steps, and answered with LSP's RequestCancelled error.

import { type CancellationToken, ErrorCodes, LSPErrorCodes, ResponseError } from "vscode-languageserver";

export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
}

/** Throws RequestCancelled when the client has cancelled the request. */
export function throwIfCancelled(token: CancellationToken | undefined): void {
  if (token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, "the request was cancelled");
}

function describe(e: unknown): string {
  if (e instanceof Error) return `${e.message}${e.stack ? `\n${e.stack}` : ""}`;
  return String(e);
}

/** Wraps a request handler: exceptions become an InternalError response and a log line. */
export function guardRequest<P, R>(
  log: Logger,
  method: string,
  handler: (params: P, token: CancellationToken) => R | Promise<R>,
): (params: P, token: CancellationToken) => Promise<R | ResponseError<void>> {
  return async (params, token) => {
    try {
      throwIfCancelled(token);
      return await handler(params, token);
    } catch (e) {
      if (e instanceof ResponseError) return e as ResponseError<void>;
      log.error(`${method} failed: ${describe(e)}`);
      return new ResponseError(ErrorCodes.InternalError, `${method} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
}

/** Wraps a notification handler: exceptions are logged and go no further. */
export function guardNotification<P>(log: Logger, method: string, handler: (params: P) => void | Promise<void>): (params: P) => void {
  return (params) => {
    try {
      const r = handler(params);
      if (r instanceof Promise) r.catch((e: unknown) => log.error(`${method} failed: ${describe(e)}`));
    } catch (e) {
      log.error(`${method} failed: ${describe(e)}`);
    }
  };
}
