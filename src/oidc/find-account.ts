/** oidc-provider's `findAccount`: the account behind a `sub`, releasing its standard claims. */
import type { FindAccount } from 'oidc-provider';
import { accountClaims } from '../accounts/index.ts';
import type { AccountStore } from '../store/index.ts';

export function createFindAccount(accounts: AccountStore): FindAccount {
  return async (_ctx, sub) => {
    const account = await accounts.findById(sub);
    // A disabled account answers as unknown: its tokens stop working at userinfo at once.
    if (!account || account.disabled) return undefined;
    return { accountId: account.id, claims: () => accountClaims(account) };
  };
}
