/**
 * The oidc-provider configuration: only what Portcullis stands behind. Authorization code with PKCE
 * (S256, required for every client, confidential ones too — OAuth 2.1 §7.5.1), no implicit or hybrid,
 * client credentials, refresh rotation with reuse detection (refresh-*.ts), DPoP, revocation,
 * introspection, RP-initiated logout, resource indicators with JWT access tokens, and our own hosted
 * pages (devInteractions off).
 */
import { errors, type Configuration } from 'oidc-provider';
import type { Config } from '../config/index.ts';
import type { PageRenderer } from '../http/render.ts';
import type { PrivateSigningKey } from '../signing/index.ts';
import type { Store } from '../store/index.ts';
import { SCOPE_CLAIMS } from '../accounts/index.ts';
import { createAdapterFactory } from './adapter.ts';
import { createFindAccount } from './find-account.ts';
import { providerPages } from './pages.ts';
import { REFRESH_CLIENT_METADATA, validateRefreshMetadata } from './refresh-metadata.ts';
import { createRotationPolicy, refreshTokenLifetime } from './refresh-rotation.ts';
import { createResourceServerInfo } from './resources.ts';
import { OIDC_SCOPES } from './scopes.ts';

/** A rotated refresh token keeps its family's original expiry (refresh-rotation.ts). */
export { familyLifetime } from './refresh-rotation.ts';

export interface ProviderDeps {
  readonly config: Config;
  readonly store: Store;
  readonly keys: readonly PrivateSigningKey[];
  readonly pages: PageRenderer;
  /** Clients built into Portcullis itself (the account page), served without the store. */
  readonly builtInClients?: readonly Record<string, unknown>[];
}

type TokenPolicy = (ctx: unknown, client: { clientId: string; clientAuthMethod?: string | undefined }, token: { clientId?: string | undefined }) => Promise<boolean>;
const ownToken: TokenPolicy = async (_ctx, client, token) => token.clientId === client.clientId;
const ownTokenOrConfidential: TokenPolicy = async (ctx, client, token) =>
  client.clientAuthMethod !== 'none' || ownToken(ctx, client, token);

const ASYMMETRIC = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;

/** Where the hosted pages live; the interaction cookie is scoped to this path. */
export const INTERACTION_PATH = '/interaction';

/**
 * `first_party: true` in a client's metadata marks an app of the deployment itself: its consent is
 * given by the operator, so the consent page is skipped (interactions/consent.ts). The refresh token
 * properties are explained in refresh-metadata.ts.
 */
const extraClientMetadata: Configuration['extraClientMetadata'] = {
  properties: ['first_party', ...REFRESH_CLIENT_METADATA],
  validator(_ctx, key, value, metadata) {
    if (key === 'first_party' && value !== undefined && typeof value !== 'boolean') {
      throw new errors.InvalidClientMetadata('first_party must be a boolean');
    }
    validateRefreshMetadata(key, value, metadata as Record<string, unknown>);
  },
};

export function buildProviderConfiguration({ config, store, keys, pages, builtInClients = [] }: ProviderDeps): Configuration {
  const { ttl } = config;
  const { renderError, logoutSource, postLogoutSuccessSource } = providerPages(pages);
  const refreshLifetime = refreshTokenLifetime({ absolute: ttl.refreshToken, idle: ttl.refreshTokenIdle });
  return {
    adapter: createAdapterFactory(store.models, store.clients, {
      refreshTokenReuseGraceSeconds: config.refreshTokenReuseGraceSeconds,
    }),
    clients: builtInClients.map((c) => ({ ...c })) as unknown as Configuration['clients'],
    extraClientMetadata,
    findAccount: createFindAccount(store.accounts),
    jwks: { keys: keys.map((k) => ({ ...k })) },
    scopes: [...OIDC_SCOPES],
    claims: { openid: [...SCOPE_CLAIMS.openid], profile: [...SCOPE_CLAIMS.profile], email: [...SCOPE_CLAIMS.email] },
    responseTypes: ['code'],
    // Client secrets are stored as digests, so nothing may need the plain secret: no client_secret_jwt,
    // no HS* anywhere (security/client-secrets.ts).
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    enabledJWA: {
      clientAuthSigningAlgValues: [...ASYMMETRIC],
      idTokenSigningAlgValues: [...ASYMMETRIC],
      requestObjectSigningAlgValues: [...ASYMMETRIC],
      userinfoSigningAlgValues: [...ASYMMETRIC],
      introspectionSigningAlgValues: [...ASYMMETRIC],
      authorizationSigningAlgValues: [...ASYMMETRIC],
    },
    pkce: { required: () => true },
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    },
    cookies: {
      keys: [...config.cookieSecrets.keys],
      long: { signed: true, httpOnly: true, sameSite: 'lax' },
      short: { signed: true, httpOnly: true, sameSite: 'lax' },
    },
    interactions: {
      url: (_ctx, interaction) =>
        `${INTERACTION_PATH}/${interaction.uid}?client_id=${encodeURIComponent(String(interaction.params.client_id ?? ''))}`,
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // A public client may only ask about, or revoke, its own tokens; a confidential one has proved who it is.
      introspection: { enabled: true, allowedPolicy: ownTokenOrConfidential },
      revocation: { enabled: true, allowedPolicy: ownToken },
      userinfo: { enabled: true },
      // RFC 9449. A token obtained with a proof is bound to the proof's key: every client's access
      // tokens, and a public client's refresh tokens (a confidential client's are bound by its own
      // authentication). No server nonce is required (requireNonce keeps its default).
      dPoP: { enabled: true },
      registration: { enabled: false },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      resourceIndicators: {
        enabled: true,
        getResourceServerInfo: createResourceServerInfo({
          resourceServers: store.resourceServers,
          clients: store.clients,
          defaultAccessTokenTTL: ttl.accessToken,
        }),
        // A token requested without `resource` is an opaque one for userinfo (DESIGN.md).
        useGrantedResource: async () => false,
      },
    },
    // Rotate on every use, for every client unless its metadata says `refresh_token_rotation: false`
    // (never for a public client without sender-constraining): a stolen refresh token is then detected
    // on the next refresh.
    rotateRefreshToken: createRotationPolicy(refreshLifetime),
    ttl: {
      AccessToken: ttl.accessToken,
      ClientCredentials: ttl.accessToken,
      AuthorizationCode: ttl.authorizationCode,
      IdToken: ttl.idToken,
      // min(the family's remaining absolute lifetime, the idle TTL) for every token issued.
      RefreshToken: refreshLifetime,
      // The grant must outlive its refresh tokens, or oidc-provider's 14-day default cuts them short.
      Grant: Math.max(ttl.refreshToken, ttl.session),
      Session: ttl.session,
      Interaction: ttl.interaction,
    },
    renderError,
  };
}
