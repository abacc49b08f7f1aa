/**
 * Every request, counted and timed by a bounded route label, and one log line when it is done (which
 * carries the request id like every other line, http/request-id.ts). Neither ever holds the raw path or
 * query: a path carries ids (`/interaction/<uid>`) and a query can carry an `id_token_hint`.
 */
import type { Context, Middleware } from 'koa';
import type { Logger } from '../logging/index.ts';
import type { Metrics } from './metrics.ts';

/** Probes poll all day: their lines are debug, everything else's info. */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);
const TEMPLATE = /^[A-Za-z0-9_.:/-]{1,100}$/;

interface RoutedContext {
  /** oidc-provider names its routes (`token`, `authorization`, `resume`, `discovery`, …). */
  readonly _matchedRouteName?: unknown;
  /** The matched route's template, set by @koa/router and by oidc-provider's own router. */
  readonly _matchedRoute?: unknown;
}

/**
 * oidc-provider's route name, else the @koa/router template that matched (`/interaction/:uid/login`),
 * else `other` (no route matched: a 404). Pinned by test/e2e/observability.test.ts.
 */
export function routeLabel(ctx: Context): string {
  const { _matchedRouteName: name, _matchedRoute: template } = ctx as unknown as RoutedContext;
  if (typeof name === 'string' && TEMPLATE.test(name)) return name;
  if (typeof template === 'string' && TEMPLATE.test(template)) return template;
  return 'other';
}

function statusOf(err: unknown): number {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status <= 599 ? status : 500;
}

/** Koa middleware, outside the error boundary so that it sees the status actually sent. */
export function observeRequests({ metrics, logger }: { metrics: Metrics; logger: Logger }): Middleware {
  return async function observe(ctx, next) {
    const started = performance.now();
    let status = 500;
    try {
      await next();
      status = ctx.status;
    } catch (err) {
      status = statusOf(err);
      throw err;
    } finally {
      const seconds = (performance.now() - started) / 1000;
      const route = routeLabel(ctx);
      metrics.httpRequest({ method: ctx.method, route, status }, seconds);
      const line = { method: ctx.method, route, status, duration_ms: Math.round(seconds * 1e4) / 10 };
      if (PROBES.has(route)) logger.debug(line, 'request completed');
      else logger.info(line, 'request completed');
    }
  };
}
