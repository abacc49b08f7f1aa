/**
 * Signing in to the account page: an authorization request of the built-in client through the hosted
 * login, with state in a signed cookie. The code that comes back is never redeemed — the session cookie
 * the login set is what the page uses — so the callback destroys it at once.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import type { default as Provider } from 'oidc-provider';
import { AppError } from '../http/errors.ts';
import { t } from '../i18n/index.ts';
import { ACCOUNT_CLIENT_ID, ACCOUNT_PATH } from './client.ts';

const STATE_COOKIE = 'portcullis.account_state';
const cookieOptions = { signed: true, httpOnly: true, sameSite: 'lax' as const, path: ACCOUNT_PATH, overwrite: true };

export function startSignIn(ctx: Context, issuer: string): void {
  const state = randomBytes(24).toString('base64url');
  // PKCE is required for every client; this code is never redeemed, so the verifier is not kept.
  const challenge = createHash('sha256').update(randomBytes(32)).digest('base64url');
  ctx.cookies.set(STATE_COOKIE, state, { ...cookieOptions, maxAge: 15 * 60 * 1000, secure: ctx.secure });
  const url = new URL('/auth', issuer);
  url.search = new URLSearchParams({
    client_id: ACCOUNT_CLIENT_ID,
    response_type: 'code',
    redirect_uri: `${issuer}${ACCOUNT_PATH}/callback`,
    scope: 'openid',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  ctx.redirect(`${url.pathname}${url.search}`);
}

export async function finishSignIn(ctx: Context, provider: Provider): Promise<void> {
  const expected = ctx.cookies.get(STATE_COOKIE, { signed: true });
  ctx.cookies.set(STATE_COOKIE, null, cookieOptions);
  const { state, code, error } = ctx.query;
  if (typeof state !== 'string' || !expected || state !== expected) {
    throw new AppError(400, 'invalid_request', t('account.error.signInLinkInvalid'));
  }
  if (typeof code === 'string') {
    const issued = await provider.AuthorizationCode.find(code);
    await issued?.destroy();
  }
  if (typeof error === 'string') {
    throw new AppError(400, 'access_denied', t('account.error.signInCancelled'));
  }
  ctx.redirect(ACCOUNT_PATH);
}
