/**
 * Resource indicators (RFC 8707). A registered resource server gets JWT access tokens (RFC 9068) with
 * `aud` = its identifier and only the scopes both it and the client allow; an unknown resource is
 * `invalid_target`. Tokens requested without `resource` stay opaque so they work at userinfo.
 */
import { errors, type KoaContextWithOIDC, type ResourceServer as ProviderResourceServer } from 'oidc-provider';
import type { ClientStore, ResourceServerStore } from '../store/index.ts';
import { allowedApiScopes } from './clients.ts';

export interface ResourceDeps {
  readonly resourceServers: ResourceServerStore;
  readonly clients: ClientStore;
  readonly defaultAccessTokenTTL: number;
}

/** JWT access tokens are signed with ES256 (the RS256 key stays for ID tokens). */
export const ACCESS_TOKEN_ALG = 'ES256';

export function createResourceServerInfo({ resourceServers, clients, defaultAccessTokenTTL }: ResourceDeps) {
  return async (
    _ctx: KoaContextWithOIDC,
    resourceIndicator: string,
    client: { clientId: string },
  ): Promise<ProviderResourceServer> => {
    const server = await resourceServers.find(resourceIndicator);
    if (!server) throw new errors.InvalidTarget(`resource indicator ${resourceIndicator} is not a registered resource server`);
    const metadata = await clients.find(client.clientId);
    return {
      scope: allowedApiScopes(metadata, server.scopes).join(' '),
      audience: server.identifier,
      accessTokenTTL: server.accessTokenTTL ?? defaultAccessTokenTTL,
      accessTokenFormat: 'jwt',
      jwt: { sign: { alg: ACCESS_TOKEN_ALG } },
    };
  };
}
