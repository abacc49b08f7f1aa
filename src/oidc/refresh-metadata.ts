/**
 * A client's own refresh token policy, read from its metadata (oidc-provider's extraClientMetadata):
 *
 * - `refresh_token_rotation` (boolean, default `true`): `false` keeps one refresh token for the life of
 *   the family. OAuth 2.1 §4.3.1 requires a public client's refresh tokens to be rotated or
 *   sender-constrained, so a public client may turn rotation off only when it must use DPoP for every
 *   token request (`dpop_bound_access_tokens: true`) — its refresh tokens are then DPoP-bound.
 * - `refresh_token_reuse_grace_seconds` (integer 0 to 60, default REFRESH_TOKEN_REUSE_GRACE_SECONDS):
 *   how long a just-rotated refresh token may still be presented (adapter.ts).
 *
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-v2-1#section-4.3.1
 */
import { errors } from 'oidc-provider';
import { MAX_REFRESH_TOKEN_REUSE_GRACE_SECONDS } from '../config/index.ts';

export const REFRESH_TOKEN_ROTATION = 'refresh_token_rotation';
export const REFRESH_TOKEN_REUSE_GRACE = 'refresh_token_reuse_grace_seconds';

/** The extraClientMetadata properties this file validates and reads. */
export const REFRESH_CLIENT_METADATA = [REFRESH_TOKEN_ROTATION, REFRESH_TOKEN_REUSE_GRACE] as const;

function isGraceSeconds(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_REFRESH_TOKEN_REUSE_GRACE_SECONDS;
}

/**
 * The extraClientMetadata validator for the refresh properties; `metadata` is the whole client as
 * oidc-provider sees it (defaults applied). Throws `invalid_client_metadata` with the reason.
 */
export function validateRefreshMetadata(key: string, value: unknown, metadata: Readonly<Record<string, unknown>>): void {
  if (key === REFRESH_TOKEN_ROTATION && value !== undefined) {
    if (typeof value !== 'boolean') throw new errors.InvalidClientMetadata(`${REFRESH_TOKEN_ROTATION} must be a boolean`);
    if (!value && metadata.token_endpoint_auth_method === 'none' && metadata.dpop_bound_access_tokens !== true) {
      throw new errors.InvalidClientMetadata(
        `${REFRESH_TOKEN_ROTATION} may be false for a public client only with dpop_bound_access_tokens true ` +
          '(OAuth 2.1 §4.3.1: its refresh tokens must be rotated or sender-constrained)',
      );
    }
  }
  if (key === REFRESH_TOKEN_REUSE_GRACE && value !== undefined && !isGraceSeconds(value)) {
    throw new errors.InvalidClientMetadata(
      `${REFRESH_TOKEN_REUSE_GRACE} must be an integer from 0 to ${MAX_REFRESH_TOKEN_REUSE_GRACE_SECONDS}`,
    );
  }
}

/** Whether the client asked for rotation (the default) — the run-time rule is in refresh-rotation.ts. */
export function rotationRequested(metadata: Readonly<Record<string, unknown>> | undefined): boolean {
  return metadata?.[REFRESH_TOKEN_ROTATION] !== false;
}

/** The client's reuse grace in seconds, or the deployment's when it names none (or a bad one). */
export function reuseGraceSeconds(metadata: Readonly<Record<string, unknown>> | undefined, fallback: number): number {
  const own = metadata?.[REFRESH_TOKEN_REUSE_GRACE];
  return isGraceSeconds(own) ? own : fallback;
}
