/**
 * `/jwks`, served by us rather than oidc-provider (whose route sends no caching headers): the public
 * parts of the published keys, in signing order, with `Cache-Control: public, max-age=<pre-publish
 * window>` — a verifier that caches this long still learns a new key before it signs — and a strong
 * ETag, answering 304 when it matches.
 */
import { createHash } from 'node:crypto';
import Router from '@koa/router';
import { publicPart, type PrivateSigningKey } from '../signing/index.ts';

export function jwksRoutes({ keys, maxAgeSeconds }: { keys: () => readonly PrivateSigningKey[]; maxAgeSeconds: number }): Router {
  const router = new Router();
  let cached: { source: readonly PrivateSigningKey[]; body: string; etag: string } | undefined;
  const render = () => {
    const source = keys();
    if (cached?.source !== source) {
      const body = JSON.stringify({ keys: source.map(publicPart) });
      cached = { source, body, etag: `"${createHash('sha256').update(body).digest('base64url')}"` };
    }
    return cached;
  };
  router.get('/jwks', (ctx) => {
    const { body, etag } = render();
    ctx.set('Cache-Control', `public, max-age=${maxAgeSeconds}`);
    ctx.set('ETag', etag);
    ctx.type = 'application/jwk-set+json; charset=utf-8';
    if (ctx.get('If-None-Match').split(/\s*,\s*/).includes(etag)) {
      ctx.status = 304;
      return;
    }
    ctx.body = body;
  });
  return router;
}
