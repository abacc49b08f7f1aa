/**
 * The outer error boundary: whatever a route we own throws becomes one answer — the OAuth error shape
 * for API callers, the error page for browsers — and nothing internal reaches the client.
 */
import type { Context, Next } from 'koa';
import { t } from '../i18n/index.ts';
import type { Logger } from '../logging/index.ts';
import { AppError, serializeError } from './errors.ts';
import type { PageRenderer } from './render.ts';

export function wantsHtml(ctx: Context): boolean {
  return ctx.method === 'GET' || ctx.is('application/x-www-form-urlencoded') === 'application/x-www-form-urlencoded'
    ? ctx.accepts('json', 'html') === 'html'
    : false;
}

export function errorBoundary({ logger, pages }: { logger: Logger; pages: PageRenderer }) {
  return async function handleErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new AppError(404, 'not_found', t('error.notFound'));
      }
    } catch (err) {
      const { status, body } = serializeError(err);
      if (status >= 500) {
        logger.error({ err, path: ctx.path, method: ctx.method }, 'request failed');
      } else {
        logger.debug({ status, error: body.error, detail: err instanceof AppError ? err.detail : undefined, path: ctx.path }, 'request refused');
      }
      ctx.status = status;
      ctx.set('Cache-Control', 'no-store');
      if (wantsHtml(ctx)) {
        ctx.type = 'html';
        const back = err instanceof AppError ? err.back : undefined;
        ctx.body = pages.render('error', {
          heading: status >= 500 ? t('error.headingServer') : t('error.heading'),
          // A 5xx body is the generic protocol text for API callers; a person reads the catalog's sentence.
          message: status >= 500 ? t('error.generic') : body.error_description,
          code: body.error,
          backUrl: back?.url,
          backLabel: back?.label,
        });
      } else {
        ctx.body = body;
      }
    }
  };
}
