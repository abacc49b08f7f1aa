/**
 * Reads and discards whatever is left of a request body once the request has been answered. A body
 * parser that gives up part-way — a chunked body past its limit, a gzip body that does not decompress;
 * ours (http/form-body.ts) and oidc-provider's alike — leaves the rest of the body unread. Node drains an
 * unread body by itself (`req._dump()`), but not one that was partly read: the connection stayed open
 * (keep-alive) with the rest of the body in it, and the next request on it — through a proxy that pools
 * connections, anyone's — hung until the server's timeouts reset it. Found by test/property.
 */
import type { Context, Next } from 'koa';

export function drainUnreadBody() {
  return async function drainBody(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
    } finally {
      if (!ctx.req.complete && !ctx.req.destroyed) ctx.req.resume();
    }
  };
}
