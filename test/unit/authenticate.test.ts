/**
 * An unknown email must cost as much as a known one: both spend exactly one argon2id verification of the
 * same parameters. Counted through the real login form, not timed (a test never asserts wall-clock speed).
 */
import { createArgon2Hasher, type PasswordHasher } from '../../src/accounts/index.ts';
import { Browser } from '../helpers/browser.ts';
import { authorizationRequest, discoverApp, signIn } from '../helpers/flow.ts';
import { CHEAP_ARGON2, startTestServer, USER } from '../helpers/server.ts';

function countingHasher(): PasswordHasher & { verifications: number } {
  const real = createArgon2Hasher(CHEAP_ARGON2);
  const counting = {
    verifications: 0,
    hash: real.hash,
    async verify(hash: string, password: string) {
      counting.verifications += 1;
      return real.verify(hash, password);
    },
    async verifyDummy(password: string) {
      // The dummy goes through the same verify as a real account.
      counting.verifications += 1;
      return real.verifyDummy(password);
    },
  };
  return counting;
}

test('known and unknown emails each cost one argon2id verification', async () => {
  const hasher = countingHasher();
  const srv = await startTestServer({ hasher });
  try {
    const app = await discoverApp(srv.issuer);
    const browser = new Browser(srv.issuer);
    const page = await browser.navigate((await authorizationRequest(app)).url.href);
    const before = hasher.verifications;
    await signIn(browser, page, USER.email, 'wrong password');
    const known = hasher.verifications - before;
    await signIn(browser, page, 'unknown@example.com', 'wrong password');
    const unknown = hasher.verifications - before - known;
    expect(known).toBe(1);
    expect(unknown).toBe(1);
  } finally {
    await srv.close();
  }
});

test('the dummy hash has the configured parameters, so it costs what a real one does', async () => {
  const hasher = createArgon2Hasher({ memoryCost: 256, timeCost: 3, parallelism: 1 });
  const real = await hasher.hash('x');
  expect(real).toMatch(/^\$argon2id\$v=19\$m=256,p=1,t=3\$/);
  await expect(hasher.verifyDummy('anything')).resolves.toBeUndefined();
  expect(await hasher.verify('not a hash', 'x')).toBe(false);
});
