/**
 * The one error a store throws when its database does not answer in time: unreachable, connection lost,
 * timed out, stepping down. Every caller sees the same thing, whichever backend and whichever operation.
 *
 * Its shape is what both error renderers read, so it needs no translation on the way out:
 * - oidc-provider (lib/shared/error_handler.js, authorization_error_handler.js) answers with
 *   `err.statusCode` and, because `expose` is set, `{ error: err.message, error_description }`
 *   (lib/helpers/err_out.js) — so the message *is* the OAuth error code, not a sentence. Without
 *   `expose` it would answer 500 `server_error`. `allow_redirect` is off: /auth shows the error page
 *   instead of sending the person back to the app with an error it cannot act on.
 * - our error boundary (http/errors.ts) maps status 503 to `temporarily_unavailable` with the
 *   generic 5xx description.
 * The driver's error stays in `cause` for the log; nothing of it reaches a response.
 */
export const STORE_UNAVAILABLE_DESCRIPTION = 'the service cannot reach its database right now; try again shortly';

export class StoreUnavailable extends Error {
  override readonly name = 'StoreUnavailable';
  readonly status = 503;
  readonly statusCode = 503;
  readonly expose = true;
  readonly error = 'temporarily_unavailable';
  readonly error_description = STORE_UNAVAILABLE_DESCRIPTION;
  readonly allow_redirect = false;
  /** Logged by oidc-provider's debug output and ours; never sent. */
  readonly error_detail: string;

  constructor(cause: unknown) {
    super('temporarily_unavailable', { cause });
    this.error_detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : 'store unavailable';
    // An outage is an expected condition, not a bug: where it was thrown (a store wrapper) says nothing,
    // what the driver said does. One line for a log or the CLI; the driver's own stack stays in `cause`.
    this.stack = `${this.name}: ${this.error_detail}`;
  }
}

export function isStoreUnavailable(err: unknown): err is StoreUnavailable {
  return err instanceof StoreUnavailable;
}
