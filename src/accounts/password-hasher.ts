/**
 * argon2id password hashing. Parameters default to OWASP's recommendation (m=19456 KiB, t=2, p=1) and
 * come from configuration; tests pass cheap ones.
 *
 * Every password is NFC-normalized before it reaches argon2, in hash and verify alike, so "é" typed as
 * U+00E9 or as "e" + U+0301 (a different keyboard, OS or browser) is the same password (password-policy.ts).
 */
import argon2 from 'argon2';

export interface Argon2Params {
  readonly memoryCost: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /**
   * Never throws on a malformed hash: it is simply not a match.
   *
   * It does not refuse an over-long password itself, by design: answering such an attempt without
   * hashing would make it cheaper than a real one, and the unknown-email path must cost the same
   * (verifyDummy). Callers bound what they pass before it gets here — the login form's schema caps the
   * field, and checkNewPassword caps every password that can be set at MAX_PASSWORD_LENGTH.
   */
  verify(hash: string, password: string): Promise<boolean>;
  /**
   * Spends the same work as a real verification; used when no account matches, so an unknown email
   * costs as much time as a known one.
   */
  verifyDummy(password: string): Promise<void>;
}

export function createArgon2Hasher(params: Argon2Params): PasswordHasher {
  const options = { type: argon2.argon2id, ...params } as const;
  let dummy: Promise<string> | undefined;

  const verify = async (hash: string, password: string): Promise<boolean> => {
    try {
      return await argon2.verify(hash, password.normalize('NFC'));
    } catch {
      return false;
    }
  };

  return {
    hash: (password) => argon2.hash(password.normalize('NFC'), options),
    verify,
    async verifyDummy(password) {
      dummy ??= argon2.hash('portcullis-dummy-password-for-timing', options);
      // Through verify, so the normalization is spent here too.
      await verify(await dummy, password);
    },
  };
}
