/**
 * oidc-provider's resume route (`GET /auth/:uid`, where the hosted pages send the browser back) reads
 * nothing from the query: it resumes the stored request. When resuming fails (no resume cookie), its
 * error handler still looks for `client_id` in the query, and with a registered one it crashes — a
 * TypeError in oneRedirectUriClients (oidc-provider 9.13), which reads `ctx.oidc.params`, unset on this
 * route — so `/auth/anything?client_id=app` answered 500. The query is dropped before the provider sees
 * the request. Pinned by test/property/http-surface.test.ts.
 */
import type { Context, Next } from 'koa';

/** `authorizationPath` is the provider's authorization endpoint (its router ignores case and a trailing slash). */
export function dropResumeQuery(authorizationPath = '/auth') {
  const resume = new RegExp(`^${authorizationPath}/[^/]+/?$`, 'i');
  return async function dropQuery(ctx: Context, next: Next): Promise<void> {
    if (ctx.querystring && resume.test(ctx.path)) ctx.querystring = '';
    await next();
  };
}
