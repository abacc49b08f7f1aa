/**
 * The password policy (ASVS 5.0 V6.2) and where a password is set: the rules themselves, the hasher's
 * NFC normalization, and the bootstrap file. `users add` refusing one: test/unit/cli-store.test.ts.
 */
import { createRequire } from 'node:module';
import argon2 from 'argon2';
import {
  checkNewPassword,
  createArgon2Hasher,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  RECOMMENDED_PASSWORD_LENGTH,
  type PasswordHasher,
} from '../../src/accounts/index.ts';
import { applyBootstrap, BootstrapError } from '../../src/bootstrap/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { CHEAP_ARGON2 } from '../helpers/server.ts';

const problem = (password: string) => {
  const check = checkNewPassword(password);
  return check.ok ? 'ok' : check.problem;
};

describe('checkNewPassword', () => {
  test('the limits are ASVS V6.2.1 and a bound on the work', () => {
    expect([MIN_PASSWORD_LENGTH, RECOMMENDED_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH]).toEqual([8, 15, 256]);
  });

  test('length is counted in code points: 8 emoji are 8 characters, 7 are too few', () => {
    expect('🦊'.repeat(8)).toHaveLength(16); // UTF-16 units, which must not be what counts
    expect(problem('🦊'.repeat(8))).toBe('ok');
    expect(problem('🦊'.repeat(7))).toBe('too_short');
    expect(problem('abcdefg')).toBe('too_short');
    expect(problem('')).toBe('too_short');
  });

  test('256 characters pass, 257 do not — also when surrogate pairs make the string twice as long', () => {
    expect(problem('x'.repeat(256))).toBe('ok');
    expect(problem('x'.repeat(257))).toBe('too_long');
    expect(problem('🦊'.repeat(256))).toBe('ok');
    expect(problem('🦊'.repeat(257))).toBe('too_long');
    expect(problem('x'.repeat(10_000_000))).toBe('too_long');
  });

  test('length is that of the NFC form, and the NFC form is what comes back', () => {
    const decomposed = 'cafe\u0301 au lait'; // é as e + combining acute
    const check = checkNewPassword(decomposed);
    expect(check).toEqual({ ok: true, password: 'caf\u00e9 au lait' });
    // 8 code points as typed, 7 once composed.
    expect(problem('abcde\u0301fg')).toBe('too_short');
    // U+1F82 is 4 code points decomposed: 256 of them are 1,024 UTF-16 units but 256 characters.
    const greek = '\u1f82'.normalize('NFD');
    expect(greek).toHaveLength(4);
    expect(problem(greek.repeat(256))).toBe('ok');
    expect(problem(greek.repeat(257))).toBe('too_long');
  });

  test('the length pre-check is sound: no code point decomposes into more than 4 (pinned for new Unicode versions)', () => {
    let longest = 0;
    for (let cp = 0; cp <= 0x10ffff; cp += 1) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const n = [...String.fromCodePoint(cp).normalize('NFD')].length;
      if (n > longest) longest = n;
    }
    expect(longest).toBe(4);
  });

  test.each(['password', 'Password1', 'PASSWORD', '123456789', 'qwertyuiop', 'iloveyou', 'Trustno1'])(
    'a common password is refused, whatever its case: %s',
    (password) => {
      const check = checkNewPassword(password);
      expect(check).toEqual({ ok: false, problem: 'too_common', message: expect.stringMatching(/commonly used/) });
    },
  );

  test('the list covers at least the 10,000 most common passwords, and each one that fits the length rules is refused', () => {
    const { dictionary } = createRequire(import.meta.url)('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
    const list = dictionary['passwords-common'];
    expect(list.length).toBeGreaterThanOrEqual(10_000);
    const top = list.slice(0, 10_000).filter((p) => [...p].length >= MIN_PASSWORD_LENGTH);
    expect(top.length).toBeGreaterThan(3_000); // ASVS V6.2.4: the top 3,000 that fit the policy
    expect(top.filter((p) => problem(p) !== 'too_common' || problem(p.toUpperCase()) !== 'too_common')).toEqual([]);
  });

  test('no composition rules: lowercase only, no digits, spaces, any script — all fine', () => {
    for (const password of ['correct horse battery staple', 'portcullis-demo-password', 'the quick brown fox jumps', 'пароль для входа', '密码就是这个很长的句子', 'trois petits chats']) {
      expect(problem(password)).toBe('ok');
    }
  });

  test('each refusal is one plain sentence', () => {
    for (const password of ['short', 'x'.repeat(300), 'password']) {
      const check = checkNewPassword(password);
      expect(check.ok).toBe(false);
      if (!check.ok) expect(check.message).toMatch(/^The password [^.\n]+\.$/);
    }
    expect(checkNewPassword('short')).toMatchObject({ message: expect.stringContaining('at least 8 characters') });
    expect(checkNewPassword('short')).toMatchObject({ message: expect.stringContaining('15 or more is recommended') });
  });
});

describe('the hasher normalizes to NFC', () => {
  const hasher = createArgon2Hasher(CHEAP_ARGON2);
  const composed = 'r\u00e9sum\u00e9 of a long life'; // é as U+00E9
  const decomposed = 're\u0301sume\u0301 of a long life'; // é as U+0065 U+0301

  test('a password set composed matches when typed decomposed, and the other way round', async () => {
    expect(composed).not.toBe(decomposed);
    expect(await hasher.verify(await hasher.hash(composed), decomposed)).toBe(true);
    expect(await hasher.verify(await hasher.hash(decomposed), composed)).toBe(true);
    expect(await hasher.verify(await hasher.hash(composed), 'resume of a long life')).toBe(false);
  });

  test('verifyDummy accepts any form and answers nothing', async () => {
    await expect(hasher.verifyDummy(decomposed)).resolves.toBeUndefined();
  });
});

describe('bootstrap file', () => {
  /** A hasher that must never be reached: the policy is checked before any hashing. */
  const unreachable: PasswordHasher = {
    hash: () => Promise.reject(new Error('hashed a refused password')),
    verify: () => Promise.reject(new Error('verified a refused password')),
    verifyDummy: () => Promise.reject(new Error('verified a refused password')),
  };

  test.each([
    ['too common', 'password', /^BOOTSTRAP_FILE b\.json: users\[1\]\.password: The password is one of the most commonly used/],
    ['too short', 'short', /^BOOTSTRAP_FILE b\.json: users\[1\]\.password: The password must be at least 8 characters/],
    ['too long', 'x'.repeat(257), /^BOOTSTRAP_FILE b\.json: users\[1\]\.password: The password must be at most 256 characters/],
  ])('a refused password (%s) stops it with the path and the field, before hashing or writing', async (_, password, message) => {
    const store = createMemoryStore();
    const input = { users: [{ email: 'ok@example.com', password: 'a perfectly fine passphrase' }, { email: 'bad@example.com', password }] };
    const run = applyBootstrap('BOOTSTRAP_FILE b.json', input, { store, hasher: unreachable, validateClient: async () => {} });
    await expect(run).rejects.toThrow(BootstrapError);
    await expect(run).rejects.toThrow(message);
    expect(await store.accounts.list()).toEqual([]);
  });

  test('a ready passwordHash is not checked; a plain password is stored NFC-normalized', async () => {
    const store = createMemoryStore();
    const hasher = createArgon2Hasher(CHEAP_ARGON2);
    const weak = await hasher.hash('pw');
    const users = [
      { email: 'hash@example.com', passwordHash: weak },
      { email: 'nfc@example.com', password: 'cafe\u0301 con leche' },
    ];
    await applyBootstrap('t', { users }, { store, hasher, validateClient: async () => {} });
    expect((await store.accounts.findByEmail('hash@example.com'))?.passwordHash).toBe(weak);
    const nfc = await store.accounts.findByEmail('nfc@example.com');
    // argon2 itself, not the hasher (which would normalize what it is given): the hash is of the NFC form.
    expect(await argon2.verify(nfc?.passwordHash ?? '', 'caf\u00e9 con leche')).toBe(true);
  });
});
