/** What each scope lets an app do, in plain words for the consent page. */
const OIDC_SCOPE_TEXT: Record<string, string> = {
  openid: 'Know that it is you when you sign in',
  profile: 'See your name',
  email: 'See your email address',
  offline_access: 'Stay connected when you are not using it',
};

export function describeOidcScope(scope: string): string {
  return OIDC_SCOPE_TEXT[scope] ?? scope;
}

/** API scopes are named by their owners (`api:read`); we show the name with what it most likely means. */
export function describeApiScope(scope: string): string {
  const [, action] = scope.split(':');
  switch (action) {
    case 'read':
      return `Read your data (${scope})`;
    case 'write':
      return `Create and change your data (${scope})`;
    case 'delete':
      return `Delete your data (${scope})`;
    default:
      return `Use the permission “${scope}”`;
  }
}
