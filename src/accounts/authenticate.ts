/**
 * Password sign-in. Unknown, disabled and wrong-password attempts all spend one argon2 verification and
 * all answer `undefined`, so neither the answer nor its timing tells whether an email is registered.
 */
import type { Account, AccountStore } from '../store/index.ts';
import { normalizeEmail } from './email.ts';
import type { PasswordHasher } from './password-hasher.ts';

export interface Authenticator {
  authenticate(email: string, password: string): Promise<Account | undefined>;
}

export function createAuthenticator(accounts: AccountStore, hasher: PasswordHasher): Authenticator {
  return {
    async authenticate(email, password) {
      const account = await accounts.findByEmail(normalizeEmail(email));
      if (!account) {
        await hasher.verifyDummy(password);
        return undefined;
      }
      const ok = await hasher.verify(account.passwordHash, password);
      return ok && !account.disabled ? account : undefined;
    },
  };
}
