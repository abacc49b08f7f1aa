/**
 * The one error type for routes we own, and the one serializer. An error carries the HTTP status, an OAuth
 * `error` code, a description that is safe to show, and an internal detail that is logged but never sent.
 * 5xx answers are always generic.
 */
export type ErrorCode =
  | 'invalid_request'
  | 'access_denied'
  | 'not_found'
  | 'method_not_allowed'
  | 'session_not_found'
  | 'temporarily_unavailable'
  | 'server_error';

export interface AppErrorOptions {
  /** Logged, never sent. */
  readonly detail?: string;
  /** On the error page: a link back to where the person came from (a registered app's home). */
  readonly back?: { readonly url: string; readonly label: string } | undefined;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly status: number;
  readonly code: ErrorCode;
  readonly description: string;
  readonly detail: string | undefined;
  readonly back: AppErrorOptions['back'];

  constructor(status: number, code: ErrorCode, description: string, options: AppErrorOptions = {}) {
    super(`${code}: ${description}`);
    this.status = status;
    this.code = code;
    this.description = description;
    this.detail = options.detail;
    this.back = options.back;
  }
}

export interface SerializedError {
  readonly status: number;
  readonly body: { readonly error: string; readonly error_description: string };
}

const GENERIC_5XX = 'the server could not complete the request; try again later';

interface ErrorLike {
  status?: unknown;
  statusCode?: unknown;
  expose?: unknown;
  error?: unknown;
  error_description?: unknown;
  message?: unknown;
}

/**
 * Maps anything thrown to the status and body we send: our AppError as is; oidc-provider errors and
 * Koa's http-errors by their status and (when exposed) their message; everything else as a generic 500.
 */
export function serializeError(err: unknown): SerializedError {
  if (err instanceof AppError) {
    return {
      status: err.status,
      body: { error: err.code, error_description: err.status >= 500 ? GENERIC_5XX : err.description },
    };
  }
  const e = (typeof err === 'object' && err !== null ? err : {}) as ErrorLike;
  const raw = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : 500;
  const status = raw >= 400 && raw <= 599 ? raw : 500;
  if (status >= 500 || e.expose === false) {
    return { status: status >= 500 ? status : 500, body: { error: status === 503 ? 'temporarily_unavailable' : 'server_error', error_description: GENERIC_5XX } };
  }
  const error = typeof e.error === 'string' ? e.error : status === 404 ? 'not_found' : 'invalid_request';
  const description =
    typeof e.error_description === 'string' ? e.error_description : typeof e.message === 'string' ? e.message : 'the request is invalid';
  return { status, body: { error, error_description: description } };
}
