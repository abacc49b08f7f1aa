/**
 * The pages oidc-provider itself renders (its error page, the logout confirmation and the signed-out
 * page), drawn with our views so every page looks the same. 5xx descriptions are replaced: they may
 * carry internals.
 */
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import type { PageRenderer } from '../http/render.ts';
import { t } from '../i18n/index.ts';

function clientName(ctx: KoaContextWithOIDC): string | undefined {
  const client = ctx.oidc?.client;
  return client ? String(client.clientName ?? client.clientId) : undefined;
}

/**
 * oidc-provider renders its error page for any request that prefers HTML, endpoint or not. The machine
 * endpoints answer errors as JSON whatever the Accept header says (RFC 6749 §5.2, which RFC 7009,
 * RFC 7662 and RFC 9126 reuse): a client that sent `Accept: text/html` still reads `error`.
 */
const JSON_ROUTES = new Set(['token', 'introspection', 'revocation', 'userinfo', 'pushed_authorization_request', 'jwks', 'discovery']);

export function providerPages(pages: PageRenderer): Pick<Configuration, 'renderError'> & {
  logoutSource: (ctx: KoaContextWithOIDC, form: string) => void;
  postLogoutSuccessSource: (ctx: KoaContextWithOIDC) => void;
} {
  return {
    renderError(ctx, out) {
      if (JSON_ROUTES.has(String(ctx.oidc?.route))) {
        ctx.body = out;
        return;
      }
      const serverSide = ctx.status >= 500;
      ctx.type = 'html';
      ctx.set('Cache-Control', 'no-store');
      ctx.body = pages.render('error', {
        heading: serverSide ? t('error.headingServer') : t('error.heading'),
        // oidc-provider's descriptions are written for developers ("redirect_uri did not match …"); they
        // stay in English, as the library words them, because they name protocol parameters.
        message: serverSide ? t('error.generic') : (out.error_description ?? out.error),
        code: out.error,
      });
    },
    logoutSource(ctx, form) {
      ctx.type = 'html';
      ctx.set('Cache-Control', 'no-store');
      ctx.body = pages.render('logout', { form, clientName: clientName(ctx) });
    },
    postLogoutSuccessSource(ctx) {
      ctx.type = 'html';
      ctx.body = pages.render('logged-out', { clientName: clientName(ctx) });
    },
  };
}
