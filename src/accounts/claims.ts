/** The standard claims an account releases, by scope (OpenID Connect Core §5.4). */
import type { Account } from '../store/index.ts';

export const SCOPE_CLAIMS = {
  openid: ['sub'],
  profile: ['name'],
  email: ['email', 'email_verified'],
} as const;

export function accountClaims(account: Account): { sub: string; [claim: string]: unknown } {
  return {
    sub: account.id,
    email: account.email,
    email_verified: account.emailVerified,
    ...(account.name === undefined ? {} : { name: account.name }),
  };
}
