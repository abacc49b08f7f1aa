/**
 * What a request is, for rate limiting: its endpoint group (by path, matched the way the routers match
 * it), and the client it names. Paths are matched case-insensitively and with an optional trailing slash,
 * because oidc-provider's router and @koa/router route `/TOKEN/` to the token endpoint too; a looser match
 * only ever limits a path that answers 404 anyway.
 */
import type { Context } from 'koa';
import type { RateLimitGroup } from '../config/config.ts';
import { INTERACTION_PATH } from '../oidc/configuration.ts';

const LOGIN = new RegExp(`^${INTERACTION_PATH}/[^/]+/login$`, 'i');

/**
 * The group of a request, or `undefined` when no rate limit applies. `/auth` counts only the initial
 * authorization request: its resumption (`/auth/:uid`, where the login and consent pages send the person
 * back) belongs to a request already counted, and refusing it would strand a person mid-sign-in.
 * CORS preflights are not counted, so a browser app's requests do not count twice.
 */
export function rateLimitGroupOf(ctx: Pick<Context, 'method' | 'path'>): RateLimitGroup | undefined {
  if (ctx.method === 'OPTIONS') return undefined;
  const path = (ctx.path.length > 1 ? ctx.path.replace(/\/$/, '') : ctx.path).toLowerCase();
  switch (path) {
    case '/token':
      return 'token';
    case '/token/introspection':
      return 'introspection';
    case '/token/revocation':
      return 'revocation';
    case '/auth':
      return 'auth';
    case '/reg':
      return 'registration';
  }
  if (path.startsWith('/reg/')) return 'registration';
  if (ctx.method === 'POST' && LOGIN.test(path)) return 'login';
  return undefined;
}

/** The client_id of HTTP Basic client authentication (RFC 6749 §2.3.1: form-encoded, then base64). */
export function basicClientId(authorization: string | undefined): string | undefined {
  const match = /^basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return undefined;
  try {
    return decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

function firstString(value: unknown): string | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first !== '' ? first : undefined;
}

/** oidc-provider's own body limit (lib/shared/selective_body.js): a larger body is refused there anyway. */
const BODY_LIMIT = 56 * 1024;

/**
 * Reads a form body and puts it back for oidc-provider, which parses the raw stream itself (a body
 * parsed upstream makes it print a warning and take a fallback path). The request stays readable and
 * yields the same bytes: oidc-provider reads it with `req.iterator()` after checking `req.readable`
 * (pinned by test/e2e/rate-limits.test.ts: a public client's token request still succeeds). A body
 * without a Content-Length or over the limit is not read; that request is limited per address only.
 */
async function peekForm(ctx: Context): Promise<URLSearchParams | undefined> {
  const length = ctx.request.length;
  if (length === undefined || length > BODY_LIMIT) return undefined;
  const req = ctx.req;
  const chunks: Buffer[] = [];
  let failure: unknown;
  try {
    for await (const chunk of req.iterator({ destroyOnReturn: false })) chunks.push(chunk as Buffer);
  } catch (err) {
    failure = err;
  }
  const body = Buffer.concat(chunks);
  let replayed = false;
  async function* replay(): AsyncGenerator<Buffer> {
    replayed = true;
    if (failure !== undefined) throw failure;
    yield body;
  }
  Object.defineProperty(req, 'readable', { configurable: true, get: () => !replayed });
  Object.defineProperty(req, 'iterator', { configurable: true, value: replay });
  Object.defineProperty(req, Symbol.asyncIterator, { configurable: true, value: replay });
  if (failure !== undefined) return undefined;
  try {
    return new URLSearchParams(new TextDecoder(ctx.request.charset || 'utf-8').decode(body));
  } catch {
    return undefined; // an unknown charset: oidc-provider refuses the body itself (400)
  }
}

/** The endpoints whose form body oidc-provider reads (the login form's client_id is in its action URL). */
const PROVIDER_FORMS: ReadonlySet<RateLimitGroup> = new Set(['token', 'introspection', 'revocation', 'auth']);

/**
 * The client a request names — HTTP Basic first, then the form body, then the query — whether or not the
 * client exists or authenticates: the per-client limit is counted before anyone checks. It is only ever
 * an extra limit; the per-address one applies to every request regardless.
 */
export async function clientIdOf(ctx: Context, group: RateLimitGroup): Promise<string | undefined> {
  const basic = basicClientId(ctx.get('authorization') || undefined);
  if (basic) return basic;
  if (PROVIDER_FORMS.has(group) && ctx.method === 'POST' && ctx.is('application/x-www-form-urlencoded')) {
    const fromBody = (await peekForm(ctx))?.get('client_id');
    if (fromBody) return fromBody;
  }
  return firstString(ctx.query.client_id);
}
