/**
 * Refresh token tests: a clock that moves Date only (oidc-provider and the stores read Date.now(); the
 * HTTP stack, the database driver and the test runner keep real timers), clients to add to the test
 * bootstrap, and raw token endpoint calls that return status and body as the server sent them.
 */
import { jest } from '@jest/globals';
import type * as oidc from 'openid-client';
import type { BootstrapInput } from '../../src/bootstrap/index.ts';
import { APP_REDIRECT, discoverApp, exchangeCode, runFrontChannel } from './flow.ts';
import { CLIENT_SECRET, TEST_BOOTSTRAP } from './server.ts';

/**
 * Fakes Date (and nothing else) until the returned `restore`. Install it before creating stores: they
 * capture `Date.now` when built.
 */
export function fakeDateOnly() {
  jest.useFakeTimers({
    doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'clearImmediate', 'queueMicrotask', 'hrtime', 'performance'],
  });
  return {
    /** Moves Date forward by `seconds`. */
    advance(seconds: number): void {
      jest.setSystemTime(Date.now() + seconds * 1000);
    },
    restore(): void {
      jest.useRealTimers();
    },
  };
}

/** A confidential client like the test bootstrap's `app` (same redirect URI and secret), with extra metadata. */
export function confidentialClient(clientId: string, metadata: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    client_id: clientId,
    client_secret: CLIENT_SECRET,
    redirect_uris: [APP_REDIRECT],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: 'openid offline_access',
    ...metadata,
  };
}

/** The test bootstrap plus `clients`. */
export function bootstrapWith(...clients: Record<string, unknown>[]): BootstrapInput {
  return { ...TEST_BOOTSTRAP, clients: [...(TEST_BOOTSTRAP.clients ?? []), ...clients] } as BootstrapInput;
}

export interface TokenAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** POSTs a form to the issuer with client_secret_basic for `clientId` (or no authentication with `null`). */
export async function postForm(issuer: string, path: string, clientId: string | null, body: Record<string, string>, headers: Record<string, string> = {}): Promise<TokenAnswer> {
  const auth: Record<string, string> = clientId === null ? {} : { authorization: `Basic ${Buffer.from(`${clientId}:${CLIENT_SECRET}`).toString('base64')}` };
  const res = await fetch(`${issuer}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth, ...headers },
    body: new URLSearchParams(body),
  });
  return { status: res.status, body: ((await res.json().catch(() => ({}))) ?? {}) as Record<string, unknown> };
}

/** One refresh at the token endpoint as the confidential client `clientId`. */
export function refresh(issuer: string, clientId: string, refreshToken: string): Promise<TokenAnswer> {
  return postForm(issuer, '/token', clientId, { grant_type: 'refresh_token', refresh_token: refreshToken });
}

/** The code flow with `offline_access` (which needs prompt=consent) for a confidential client: its first tokens. */
export async function offlineTokens(issuer: string, clientId = 'app'): Promise<oidc.TokenEndpointResponse> {
  const app = await discoverApp(issuer, clientId);
  const flow = await runFrontChannel(issuer, app, { scope: 'openid offline_access', prompt: 'consent' });
  const tokens = await exchangeCode(app, flow);
  if (!tokens.refresh_token) throw new Error(`no refresh token for ${clientId}`);
  return tokens;
}

/** The string a token answer carries under `key` (fails the test when absent). */
export function field(answer: TokenAnswer, key: string): string {
  const value = answer.body[key];
  if (typeof value !== 'string') throw new Error(`expected ${key} in ${answer.status} ${JSON.stringify(answer.body)}`);
  return value;
}
