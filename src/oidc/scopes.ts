/** The OpenID Connect scopes the provider itself knows; every other scope belongs to a resource server. */
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;

const oidc = new Set<string>(OIDC_SCOPES);

export function splitScope(scope: unknown): string[] {
  return typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
}

export function isOidcScope(scope: string): boolean {
  return oidc.has(scope);
}
