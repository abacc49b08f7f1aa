/**
 * How long a refresh token lives and when the refresh grant rotates it (oidc-provider's `ttl.RefreshToken`
 * and `rotateRefreshToken`). A family — every token rotated from one authorization — has an absolute
 * lifetime counted from its first token (`iiat`, which the library carries across rotations) and an idle
 * expiry: each token dies once unused for the idle TTL, and never outlives the family.
 */
import type { Client, KoaContextWithOIDC, RefreshToken } from 'oidc-provider';
import { rotationRequested } from './refresh-metadata.ts';

export interface RefreshLifetimes {
  /** Seconds from the family's first token after which no token of it is valid (REFRESH_TOKEN_TTL). */
  readonly absolute: number;
  /** Seconds a token lives unused (REFRESH_TOKEN_IDLE_TTL), at most `absolute`. */
  readonly idle: number;
}

/** Epoch seconds, read at every call so fake timers reach it. */
export type EpochSeconds = () => number;
const epochSeconds: EpochSeconds = () => Math.floor(Date.now() / 1000);

type TokenLifetime = (ctx: unknown, token: { iiat?: number | undefined }) => number;

/**
 * The TTL of each newly issued refresh token: min(remaining absolute lifetime, idle TTL). oidc-provider
 * would give every rotated token a full TTL, sliding the family forever.
 */
export function refreshTokenLifetime({ absolute, idle }: RefreshLifetimes, now: EpochSeconds = epochSeconds): TokenLifetime {
  return (_ctx, token) => {
    const started = token.iiat ?? now();
    return Math.max(1, Math.min(idle, started + absolute - now()));
  };
}

/** The absolute lifetime alone (no idle expiry): rotation never slides it. */
export function familyLifetime(absolute: number, now: EpochSeconds = epochSeconds): TokenLifetime {
  return refreshTokenLifetime({ absolute, idle: absolute }, now);
}

/**
 * Rotation is on unless the client's metadata turns it off, and always on for a public client's token
 * that is not sender-constrained (OAuth 2.1 §4.3.1) — metadata validation already refuses that
 * combination; this catches tokens issued before the client's metadata changed.
 */
export function mustRotate(client: Pick<Client, 'clientAuthMethod' | 'metadata'>, token: Pick<RefreshToken, 'isSenderConstrained'>): boolean {
  if (rotationRequested(client.metadata())) return true;
  return client.clientAuthMethod === 'none' && !token.isSenderConstrained();
}

/**
 * oidc-provider's `rotateRefreshToken` helper, called after the presented token passed every check.
 * A token kept (rotation off) gets no successor to carry a fresh idle expiry, so its own is pushed to
 * the same min(remaining absolute, idle) a successor would have had.
 */
export function createRotationPolicy(lifetime: TokenLifetime, now: EpochSeconds = epochSeconds) {
  return async function rotateRefreshToken(ctx: KoaContextWithOIDC): Promise<boolean> {
    const { RefreshToken: token, Client: client } = ctx.oidc.entities;
    if (!token || !client || mustRotate(client, token)) return true;
    token.exp = now() + lifetime(ctx, token);
    await token.save();
    return false;
  };
}
