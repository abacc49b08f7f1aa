/**
 * Baseline response headers on everything we serve, oidc-provider's own pages and JSON included: no
 * MIME sniffing, no referrer leaking codes or states, never framed (clickjacking on the login and
 * consent pages), HSTS in production, and a Content-Security-Policy that allows no inline script or
 * style at all (the pages have no script; the brand colour comes as /static/theme.css).
 */
import type { Context, Next } from 'koa';

export interface SecurityHeaderOptions {
  /** Strict-Transport-Security; production only, so a dev server on http://localhost is not pinned. */
  readonly hsts: boolean;
  /** LOGO_URL: when it is absolute, its origin joins img-src. */
  readonly logoUrl?: string | undefined;
}

/**
 * The policy, directive by directive:
 * - `default-src 'none'`: nothing loads unless named below (no fonts, frames, objects, connections).
 * - `script-src 'self'`: no page of ours has a script. The directive must exist all the same:
 *   oidc-provider's form_post response adds the hash of its one auto-submit script to an existing
 *   script-src (lib/helpers/script_src_sha.js), and without one its page would be blocked by
 *   default-src.
 * - `style-src 'self'`, `img-src 'self'` (+ the logo's origin): our stylesheets and images only.
 * - No `form-action`: browsers apply it to every redirect after a form POST, and the consent POST
 *   ends at the client's redirect_uri (and form_post posts to it), which no fixed list can name.
 * - `base-uri 'none'`, `frame-ancestors 'none'`: no base-tag hijack, never framed.
 * @see https://www.w3.org/TR/CSP3/#directive-form-action
 */
export function contentSecurityPolicy({ logoUrl }: { logoUrl?: string | undefined } = {}): string {
  const logoOrigin = logoUrl && /^https:\/\//i.test(logoUrl) ? new URL(logoUrl).origin : undefined;
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    ['img-src', "'self'", ...(logoOrigin ? [logoOrigin] : [])].join(' '),
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaders({ hsts, logoUrl }: SecurityHeaderOptions) {
  const csp = contentSecurityPolicy({ logoUrl });
  return async function setSecurityHeaders(ctx: Context, next: Next): Promise<void> {
    ctx.set('Content-Security-Policy', csp);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('X-Frame-Options', 'DENY');
    if (hsts) ctx.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    await next();
  };
}
