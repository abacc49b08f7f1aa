/**
 * Cross-field rules, each a named check that returns the one sentence telling the operator what to set.
 * Production refuses to start on any of them; dev mode allows the throw-away defaults (and warns).
 */
import type { RawConfig } from './schema.ts';

export interface CheckInput {
  readonly raw: RawConfig;
  readonly issuer: string;
}

type Check = (input: CheckInput) => string | undefined;

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopbackUrl(url: string): boolean {
  return LOOPBACK.has(new URL(url).hostname);
}

const requireMongo: Check = ({ raw }) =>
  raw.MONGODB_URI
    ? undefined
    : 'production mode needs a persistent store: set MONGODB_URI (the in-memory store is for dev mode only)';

const requireHttpsIssuer: Check = ({ issuer }) =>
  new URL(issuer).protocol === 'https:' || isLoopbackUrl(issuer)
    ? undefined
    : `production mode needs an https issuer: set ISSUER to an https:// URL (got ${issuer})`;

const requireCookieSecrets: Check = ({ raw }) =>
  raw.COOKIE_SECRETS && raw.COOKIE_SECRETS.length > 0
    ? undefined
    : 'production mode needs cookie secrets: set COOKIE_SECRETS to one or more random strings of at least 32 characters';

const refuseDemoSeed: Check = ({ raw }) =>
  raw.SEED_DEMO
    ? 'production mode never seeds the demo client and user: unset SEED_DEMO'
    : undefined;

export const productionChecks: readonly Check[] = [requireMongo, requireHttpsIssuer, requireCookieSecrets, refuseDemoSeed];

const cookieSecretLength: Check = ({ raw }) => {
  const short = (raw.COOKIE_SECRETS ?? []).findIndex((s) => s.length < 32);
  return short === -1 ? undefined : `COOKIE_SECRETS entry ${short + 1} is shorter than 32 characters: use a longer random string`;
};

const refreshOutlivesAccess: Check = ({ raw }) =>
  raw.REFRESH_TOKEN_TTL > raw.ACCESS_TOKEN_TTL
    ? undefined
    : 'REFRESH_TOKEN_TTL must be longer than ACCESS_TOKEN_TTL';

/** Seven days: a refresh token family unused for a week ends (REFRESH_TOKEN_IDLE_TTL when unset). */
export const DEFAULT_REFRESH_TOKEN_IDLE_TTL = 7 * 86_400;

/** An idle expiry longer than the absolute lifetime could never apply; say so rather than ignore it. */
const refreshIdleWithinAbsolute: Check = ({ raw }) =>
  raw.REFRESH_TOKEN_IDLE_TTL === undefined || raw.REFRESH_TOKEN_IDLE_TTL <= raw.REFRESH_TOKEN_TTL
    ? undefined
    : `REFRESH_TOKEN_IDLE_TTL (${raw.REFRESH_TOKEN_IDLE_TTL}) must not exceed REFRESH_TOKEN_TTL (${raw.REFRESH_TOKEN_TTL}): lower it, or raise REFRESH_TOKEN_TTL`;

export const alwaysChecks: readonly Check[] = [cookieSecretLength, refreshOutlivesAccess, refreshIdleWithinAbsolute];
