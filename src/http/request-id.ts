/**
 * Request ids: each request gets one — the caller's `X-Request-Id` when it is sane, else a fresh UUID —
 * sent back in the same header and carried by every log line written while the request is handled
 * (logging/logger.ts `withLogFields`), so one id joins a proxy's access log, ours and the caller's.
 *
 * A caller's id is only an id: 1 to 128 characters of letters, digits and `. _ : -` (UUIDs, ULIDs,
 * trace ids). Anything else — spaces, tabs, quotes, braces, a value Node joined from repeated headers —
 * could forge or split a line in a text view of the log, so it is replaced rather than cleaned.
 */
import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import { withLogFields } from '../logging/logger.ts';

export const REQUEST_ID_HEADER = 'X-Request-Id';

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's id when it is sane, else a new one. */
export function requestIdFrom(incoming: string | undefined): string {
  return incoming !== undefined && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** Koa middleware, first in line so that every later step (and every line it logs) knows the id. */
export function requestId(): Middleware {
  return (ctx, next) => {
    const id = requestIdFrom(ctx.get(REQUEST_ID_HEADER) || undefined);
    ctx.set(REQUEST_ID_HEADER, id);
    return withLogFields({ request_id: id }, next);
  };
}
