/**
 * `GET /metrics`, the Prometheus text format. Where it is served (app.ts, README "Observability"):
 * - METRICS_PORT set: only on that listener of its own (main.ts binds it to METRICS_HOST, loopback by
 *   default), never on PORT;
 * - else METRICS_TOKEN set: on PORT, to a request bearing that token;
 * - neither: nowhere. Metrics tell an outsider how many people sign in and fail to, so they are never
 *   public by default.
 * When METRICS_TOKEN is set the separate listener asks for it too.
 *
 * The token is compared as SHA-256 digests in constant time (security/client-secrets.ts), so neither
 * its value nor its length leaks through the time a refusal takes.
 */
import Router from '@koa/router';
import Koa from 'koa';
import type { Logger } from '../logging/index.ts';
import { clientSecretMatches, digestClientSecret } from '../security/index.ts';
import { AppError } from './errors.ts';
import { errorBoundary } from './error-middleware.ts';
import type { Metrics } from './metrics.ts';
import type { PageRenderer } from './render.ts';

export interface MetricsEndpointOptions {
  readonly metrics: Metrics;
  /** METRICS_TOKEN: when set, a request must present it as `Authorization: Bearer <token>`. */
  readonly token: string | undefined;
}

/** `Authorization: Bearer <token>` (RFC 6750 §2.1; the scheme is case-insensitive), compared in constant time. */
export function bearerMatches(authorization: string, tokenDigest: string): boolean {
  const match = /^Bearer +([\x21-\x7E]+) *$/i.exec(authorization);
  return match?.[1] !== undefined && clientSecretMatches(match[1], tokenDigest);
}

export function metricsRoutes({ metrics, token }: MetricsEndpointOptions): Router {
  const digest = token === undefined ? undefined : digestClientSecret(token);
  const router = new Router();
  router.get('/metrics', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    if (digest !== undefined && !bearerMatches(ctx.get('authorization'), digest)) {
      ctx.set('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new AppError(401, 'access_denied', 'this endpoint needs the metrics token (METRICS_TOKEN) as a Bearer token');
    }
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
  return router;
}

/** The app of the METRICS_PORT listener: `/metrics` and nothing else. */
export function metricsApp(options: MetricsEndpointOptions & { readonly logger: Logger; readonly pages: PageRenderer }): Koa {
  const koa = new Koa();
  koa.use(errorBoundary(options));
  koa.use(metricsRoutes(options).routes());
  return koa;
}
