/** What each scope lets an app do, in plain words for the consent page. */
import { t } from '../i18n/index.ts';

export function describeOidcScope(scope: string): string {
  switch (scope) {
    case 'openid':
      return t('scope.openid');
    case 'profile':
      return t('scope.profile');
    case 'email':
      return t('scope.email');
    case 'offline_access':
      return t('scope.offlineAccess');
    default:
      return scope;
  }
}

/** API scopes are named by their owners (`api:read`); we show the name with what it most likely means. */
export function describeApiScope(scope: string): string {
  const [, action] = scope.split(':');
  switch (action) {
    case 'read':
      return t('scope.api.read', { scope });
    case 'write':
      return t('scope.api.write', { scope });
    case 'delete':
      return t('scope.api.delete', { scope });
    default:
      return t('scope.api.other', { scope });
  }
}
