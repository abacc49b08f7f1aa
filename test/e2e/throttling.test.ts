/**
 * Login throttling through the real login form, on both stores, with the throttle's clock under the
 * test's control (oidc-provider keeps real time): backoff after the free failures, alike for known and
 * unknown emails; the hourly ceiling of 100 across email variants, holding even a correct password; no
 * password verification for a throttled attempt; the per-address ceiling; one log event per attempt.
 */
import { createHash } from 'node:crypto';
import type * as oidc from 'openid-client';
import { createArgon2Hasher, type PasswordHasher } from '../../src/accounts/index.ts';
import { LOGIN_FAILED } from '../../src/interactions/index.ts';
import { tooManyAttempts } from '../../src/interactions/login.ts';
import { createLogger } from '../../src/logging/index.ts';
import { BACKENDS } from '../helpers/backends.ts';
import { Browser, type Page } from '../helpers/browser.ts';
import { authorizationRequest, discoverApp, signIn } from '../helpers/flow.ts';
import { CHEAP_ARGON2, startTestServer, USER, type TestServer } from '../helpers/server.ts';

const UNKNOWN = 'nobody@example.com';
const WRONG = 'not the password';

interface Harness {
  readonly srv: TestServer;
  readonly logs: Array<Record<string, unknown>>;
  readonly rawLogs: string[];
  /** Password verifications so far (real accounts and the unknown-email dummy alike). */
  verifications(): number;
  /** Moves the throttle's clock. */
  advance(seconds: number): void;
  /** A fresh login page (a new authorization request). */
  loginPage(): Promise<{ browser: Browser; page: Page }>;
}

describe.each(BACKENDS)('%s store', (_backend, makeStore) => {
  const running: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.close()));
  });

  async function start(env: Record<string, string>): Promise<Harness> {
    let now = Date.now();
    let verified = 0;
    const real = createArgon2Hasher(CHEAP_ARGON2);
    const hasher: PasswordHasher = {
      hash: real.hash,
      verify: (hash, password) => ((verified += 1), real.verify(hash, password)),
      verifyDummy: (password) => ((verified += 1), real.verifyDummy(password)),
    };
    const rawLogs: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void rawLogs.push(line) });
    const srv = await startTestServer({ store: await makeStore(), env, hasher, clock: () => now, deps: { logger } });
    running.push(srv);
    const app: oidc.Configuration = await discoverApp(srv.issuer);
    return {
      srv,
      rawLogs,
      get logs() {
        return rawLogs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => String(l.event).startsWith('login.'));
      },
      verifications: () => verified,
      advance: (seconds) => (now += seconds * 1000),
      async loginPage() {
        const browser = new Browser(srv.issuer);
        return { browser, page: await browser.navigate((await authorizationRequest(app)).url.href) };
      },
    };
  }

  const signedIn = (page: Page) => page.status < 400 && !page.html.includes('name="password"');
  /** The page with what differs between two attempts (the echoed email, per-response nonces) blanked. */
  const shape = (page: Page, email: string) => page.html.replaceAll(email, '<email>').replace(/nonce="[^"]*"/g, 'nonce=""');

  test('after the free failures the next attempt waits, with the same answer for a known and an unknown email', async () => {
    const h = await start({ LOGIN_FREE_FAILURES: '2', LOGIN_BACKOFF_BASE_SECONDS: '30', LOGIN_BACKOFF_MAX_SECONDS: '60' });
    const { browser, page } = await h.loginPage();
    for (const email of [USER.email, UNKNOWN]) {
      for (let i = 0; i < 2; i += 1) {
        const failed = await signIn(browser, page, email, WRONG);
        expect([failed.status, failed.html.includes(LOGIN_FAILED)]).toEqual([200, true]);
      }
    }
    const known = await signIn(browser, page, USER.email, USER.password);
    const unknown = await signIn(browser, page, UNKNOWN, WRONG);
    for (const throttled of [known, unknown]) {
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('retry-after')).toBe('30');
      expect(throttled.html).toContain(tooManyAttempts(30));
    }
    expect(shape(known, USER.email)).toBe(shape(unknown, UNKNOWN));

    // Past the backoff one attempt goes through; its failure doubles the wait.
    h.advance(30);
    expect((await signIn(browser, page, UNKNOWN, WRONG)).html).toContain(LOGIN_FAILED);
    const longer = await signIn(browser, page, UNKNOWN, WRONG);
    expect([longer.status, longer.headers.get('retry-after')]).toEqual([429, '60']);
    // The known account's own wait is over: the correct password signs in.
    expect(signedIn(await signIn(browser, page, `  ${USER.email.toUpperCase()}`, USER.password))).toBe(true);
  });

  test('a throttled attempt never verifies a password', async () => {
    const h = await start({ LOGIN_FREE_FAILURES: '1', LOGIN_BACKOFF_BASE_SECONDS: '60' });
    const { browser, page } = await h.loginPage();
    await signIn(browser, page, USER.email, WRONG);
    await signIn(browser, page, UNKNOWN, WRONG);
    expect(h.verifications()).toBe(2);
    for (const email of [USER.email, UNKNOWN]) {
      expect((await signIn(browser, page, email, USER.password)).status).toBe(429);
    }
    expect(h.verifications()).toBe(2);
  });

  test('100 failures an hour across email variants: then even the correct password waits for the hour', async () => {
    // A one-second backoff so that 100 failures fit in the hour; the ceiling is the default 100.
    const h = await start({ LOGIN_BACKOFF_BASE_SECONDS: '1', LOGIN_BACKOFF_MAX_SECONDS: '1' });
    expect(h.srv.config.loginThrottle.maxFailuresPerAccount).toBe(100);
    const variants = ['Ada@Example.com', '  ada@example.com ', 'ADA@EXAMPLE.COM', USER.email];
    const { browser, page } = await h.loginPage();
    for (let i = 0; i < 100; i += 1) {
      const failed = await signIn(browser, page, variants[i % variants.length], WRONG);
      if (failed.status !== 200) throw new Error(`failure ${i + 1} answered ${failed.status}`);
      h.advance(1); // past the backoff
    }
    // 100 s after the first failure, with no backoff left: the ceiling holds until that failure is an hour old.
    const refused = await signIn(browser, page, USER.email, USER.password);
    expect([refused.status, refused.headers.get('retry-after')]).toEqual([429, '3500']);
    expect(refused.html).toContain(tooManyAttempts(3500));
    h.advance(3499);
    const lastSecond = await signIn(browser, page, 'ADA@example.com', USER.password);
    expect([lastSecond.headers.get('retry-after'), lastSecond.html.includes('Try again in 1 second.')]).toEqual(['1', true]);
    h.advance(1);
    expect(signedIn(await signIn(browser, page, USER.email, USER.password))).toBe(true);
  });

  test('the per-address ceiling counts every email, and lifts after the hour', async () => {
    const h = await start({ LOGIN_IP_MAX_FAILURES_PER_HOUR: '3' });
    const { browser, page } = await h.loginPage();
    for (let i = 0; i < 3; i += 1) expect((await signIn(browser, page, `user${i}@example.com`, WRONG)).status).toBe(200);
    const refused = await signIn(browser, page, USER.email, USER.password);
    expect([refused.status, refused.headers.get('retry-after')]).toEqual([429, '3600']);
    expect(h.logs.at(-1)).toMatchObject({ event: 'login.throttled', reason: 'address_ceiling', ip: '127.0.0.1' });
    h.advance(3600);
    expect(signedIn(await signIn(browser, page, USER.email, USER.password))).toBe(true);
  });

  test('every attempt is one log event with the email digest, never the email or the password', async () => {
    const h = await start({ LOGIN_FREE_FAILURES: '1', LOGIN_BACKOFF_BASE_SECONDS: '5' });
    const { browser, page } = await h.loginPage();
    await signIn(browser, page, USER.email, WRONG);
    await signIn(browser, page, USER.email, USER.password);
    h.advance(5);
    await signIn(browser, page, ` ${USER.email.toUpperCase()}`, USER.password);

    const digest = createHash('sha256').update(USER.email).digest('hex');
    const account = await h.srv.store.accounts.findByEmail(USER.email);
    const common = { client_id: 'app', ip: '127.0.0.1', email_sha256: digest, msg: 'login attempt' };
    expect(h.logs).toEqual([
      expect.objectContaining({ event: 'login.failure', ...common }),
      expect.objectContaining({ event: 'login.throttled', ...common, reason: 'account_backoff', retry_after: 5 }),
      expect.objectContaining({ event: 'login.success', ...common, account_id: account?.id }),
    ]);
    expect(h.logs.slice(0, 2).every((l) => !('account_id' in l))).toBe(true);
    const all = h.rawLogs.join('\n');
    for (const password of [USER.password, WRONG]) expect(all).not.toContain(password);
    const logins = JSON.stringify(h.logs).toLowerCase();
    expect(logins).not.toContain(USER.email);
  });
});
