/**
 * argon2id password hashing. Parameters default to OWASP's recommendation (m=19456 KiB, t=2, p=1) and
 * come from configuration; tests pass cheap ones.
 */
import argon2 from 'argon2';

export interface Argon2Params {
  readonly memoryCost: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Never throws on a malformed hash: it is simply not a match. */
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
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  };

  return {
    hash: (password) => argon2.hash(password, options),
    verify,
    async verifyDummy(password) {
      dummy ??= argon2.hash('portcullis-dummy-password-for-timing', options);
      await verify(await dummy, password);
    },
  };
}
