/**
 * Serves the few files in views/static (CSS, logo) from memory, plus the generated theme.css; the list
 * is fixed at start, so no path is ever resolved from a request.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import Router from '@koa/router';
import { VIEWS_DIR } from './render.ts';
import { themeStylesheet } from './theme.ts';

const TYPES: Record<string, string> = { '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon' };

export interface StaticOptions {
  /** BRAND_COLOR, served as /static/theme.css. */
  readonly brandColor?: string;
}

export function staticRoutes({ brandColor }: StaticOptions = {}): Router {
  const dir = join(VIEWS_DIR, 'static');
  const files = new Map<string, Buffer>(
    readdirSync(dir)
      .filter((name) => TYPES[extname(name)])
      .map((name) => [name, readFileSync(join(dir, name))] as const),
  );
  files.set('theme.css', Buffer.from(themeStylesheet(brandColor)));
  const router = new Router({ prefix: '/static' });
  router.get('/:name', (ctx) => {
    const file = files.get(ctx.params.name ?? '');
    if (!file) return;
    ctx.type = TYPES[extname(ctx.params.name ?? '')] ?? 'application/octet-stream';
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = file;
  });
  return router;
}
