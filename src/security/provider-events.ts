/**
 * oidc-provider's events, as security events. Attached to each Provider instance when it is built
 * (oidc/provider.ts; a key rotation builds a new one), holding nothing but the log itself.
 *
 * Refresh token reuse reaches us twice: the refresh grant finds the presented token consumed, revokes its
 * grant (`grant.revoked`) and then fails with InvalidGrant('refresh token already used') (`grant.error`;
 * node_modules/oidc-provider/lib/actions/grants/refresh_token.js). The failure is the one
 * `refresh_token.reuse_detected`; the revocation stays its own `grant.revoked`.
 */
import type { default as Provider, KoaContextWithOIDC } from 'oidc-provider';
import type { SecurityEventFields, SecurityEvents } from './events.ts';

/** oidc-provider's `error_detail` for a consumed refresh token / authorization code presented again. */
export const REFRESH_TOKEN_REUSED = 'refresh token already used';
export const AUTHORIZATION_CODE_REUSED = 'authorization code already consumed';

interface ProviderError {
  readonly error?: string;
  readonly error_detail?: string | undefined;
  readonly error_description?: string | undefined;
  readonly message?: string;
}

interface TokenLike {
  readonly accountId?: string | undefined;
  readonly clientId?: string | undefined;
  readonly grantId?: string | undefined;
  readonly jti?: string | undefined;
}

interface SessionLike {
  readonly accountId?: string | undefined;
  readonly authorizations?: Record<string, { readonly grantId?: string | undefined } | undefined> | undefined;
}

const entity = (ctx: KoaContextWithOIDC, name: string) => (ctx.oidc.entities as Record<string, TokenLike | undefined>)[name];
const session = (ctx: KoaContextWithOIDC) => ctx.oidc.session as SessionLike | undefined;
const detailOf = (err: ProviderError) => err.error_detail ?? err.message;

/** The account a token request is about: the code's, the refresh token's, or the resolved account's. */
function accountOf(ctx: KoaContextWithOIDC): string | undefined {
  return (
    (ctx.oidc.entities.Account as { accountId?: string } | undefined)?.accountId ??
    entity(ctx, 'AuthorizationCode')?.accountId ??
    entity(ctx, 'RefreshToken')?.accountId ??
    entity(ctx, 'Grant')?.accountId
  );
}

/** Why a grant is revoked, by the endpoint that revoked it. */
function revocationReason(ctx: KoaContextWithOIDC): string {
  switch (ctx.oidc.route) {
    case 'token':
      return ctx.oidc.params?.grant_type === 'refresh_token' ? 'refresh token reused' : 'authorization code reused';
    case 'revocation':
      return 'token revoked by the client';
    case 'end_session_confirm':
      return 'logout';
    default:
      return String(ctx.oidc.route);
  }
}

function revokedGrant(ctx: KoaContextWithOIDC, grantId: string): SecurityEventFields {
  const token = entity(ctx, 'Grant') ?? entity(ctx, 'RefreshToken') ?? entity(ctx, 'AccessToken');
  // A logout revokes the grant of every app the session signed in to, not only the current client's.
  const authorizations = Object.entries(session(ctx)?.authorizations ?? {});
  const clientId = authorizations.find(([, a]) => a?.grantId === grantId)?.[0] ?? token?.clientId ?? ctx.oidc.client?.clientId;
  return { client_id: clientId, account_id: token?.accountId ?? session(ctx)?.accountId, grant_id: grantId, reason: revocationReason(ctx) };
}

function refused(ctx: KoaContextWithOIDC, err: ProviderError): SecurityEventFields {
  return { client_id: ctx.oidc.client?.clientId, reason: `${err.error ?? 'error'}: ${detailOf(err) ?? err.error_description ?? ''}`.slice(0, 200) };
}

export function attachProviderEvents(provider: Provider, events: SecurityEvents): void {
  provider.on('grant.success', (ctx) => {
    const issued = ctx.body as { scope?: unknown } | undefined;
    events.emit(
      'token.issued',
      {
        client_id: ctx.oidc.client?.clientId,
        account_id: accountOf(ctx),
        grant_type: String(ctx.oidc.params?.grant_type),
        grant_id: entity(ctx, 'Grant')?.jti,
        scope: typeof issued?.scope === 'string' ? issued.scope : undefined,
      },
      ctx,
    );
  });

  provider.on('grant.error', (ctx, err: ProviderError) => {
    const detail = detailOf(err);
    if (detail === REFRESH_TOKEN_REUSED) {
      const token = entity(ctx, 'RefreshToken');
      events.emit(
        'refresh_token.reuse_detected',
        { client_id: token?.clientId ?? ctx.oidc.client?.clientId, account_id: token?.accountId, grant_id: token?.grantId, reason: detail },
        ctx,
      );
    } else if (detail === AUTHORIZATION_CODE_REUSED) {
      // The code is not yet an entity here: its grant and account are in the `grant.revoked` before this.
      events.emit('authorization_code.reuse_detected', { client_id: ctx.oidc.client?.clientId, grant_type: 'authorization_code', reason: detail }, ctx);
    } else {
      events.emit('token.refused', { ...refused(ctx, err), grant_type: ctx.oidc.params?.grant_type as string | undefined }, ctx);
    }
  });

  provider.on('grant.revoked', (ctx, grantId) => {
    events.emit('grant.revoked', revokedGrant(ctx, grantId), ctx);
  });

  provider.on('end_session.success', (ctx) => {
    events.emit('logout', { client_id: ctx.oidc.client?.clientId, account_id: session(ctx)?.accountId }, ctx);
  });

  provider.on('authorization.error', (ctx, err: ProviderError) => {
    events.emit('authorization.refused', refused(ctx, err), ctx);
  });
}
