/**
 * The account page signs people in through the same hosted login as every app: it is a built-in,
 * first-party public client of our own provider (a static client, never in the store), whose only
 * redirect URI is our own callback.
 */
import { t } from '../i18n/index.ts';

export const ACCOUNT_CLIENT_ID = 'portcullis-account';
export const ACCOUNT_PATH = '/account';

export function accountClientMetadata(issuer: string): Record<string, unknown> {
  return {
    client_id: ACCOUNT_CLIENT_ID,
    client_name: t('account.clientName'),
    redirect_uris: [`${issuer}${ACCOUNT_PATH}/callback`],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    scope: 'openid',
    first_party: true,
  };
}
