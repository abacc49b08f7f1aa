/**
 * Client metadata as stored (standard RFC 7591 metadata, as people write it) versus as handed to
 * oidc-provider. People list API scopes in a client's `scope` (DESIGN.md's bootstrap example does), but
 * oidc-provider checks `scope` against its own OpenID scopes only. So the provider sees the OpenID part,
 * and the API part limits which resource server scopes the client may get (see resources.ts).
 */
import type { ClientMetadata } from '../store/index.ts';
import { isOidcScope, splitScope } from './scopes.ts';

export function toProviderClientMetadata(metadata: ClientMetadata): Record<string, unknown> {
  const { client_secret_digest: digest, ...rest } = metadata;
  // The provider holds the digest where it expects the secret; provider.ts compares presented secrets
  // against it, and nothing that would use it as a key (client_secret_jwt, HS*) is enabled.
  const out: Record<string, unknown> = digest === undefined ? { ...rest } : { ...rest, client_secret: digest };
  if (metadata.scope === undefined) return out;
  const oidcScopes = splitScope(metadata.scope).filter(isOidcScope);
  // A client registered with API scopes only still signs people in with `openid` at most.
  return { ...out, scope: oidcScopes.length > 0 ? oidcScopes.join(' ') : 'openid' };
}

/**
 * The API scopes a client may be granted for a resource server: those its `scope` metadata lists, or
 * every scope of the server when the client registered no `scope` at all.
 */
export function allowedApiScopes(metadata: ClientMetadata | undefined, serverScopes: readonly string[]): string[] {
  if (metadata?.scope === undefined) return [...serverScopes];
  const listed = new Set(splitScope(metadata.scope));
  return serverScopes.filter((s) => listed.has(s));
}
