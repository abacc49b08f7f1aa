/**
 * Rate limits in pieces: the RATE_LIMIT_* setting format, which requests belong to which endpoint group,
 * the client a Basic header names, and the limiter's behaviour when its store fails (it must answer at
 * once rather than queue every request behind a timeout).
 */
import { loadConfig } from '../../src/config/index.ts';
import { createRateLimiter, RateLimitStoreFailed } from '../../src/security/rate-limit.ts';
import { basicClientId, rateLimitGroupOf } from '../../src/security/rate-limit-routes.ts';
import { createMemoryStore, type RateLimitStore } from '../../src/store/index.ts';
import { configRefusal } from '../helpers/config.ts';

describe('RATE_LIMIT_* settings', () => {
  test('defaults, a bucket per group and scope, `off`, and RATE_LIMITS_ENABLED', () => {
    const { rateLimits } = loadConfig({ env: {} });
    expect(rateLimits.enabled).toBe(true);
    expect(rateLimits.groups.token).toEqual({ ip: { perMinute: 3000, burst: 300 }, client: { perMinute: 6000, burst: 600 } });
    const custom = loadConfig({ env: { RATE_LIMIT_LOGIN_IP: ' 10/MIN, burst=3 ', RATE_LIMIT_LOGIN_CLIENT: 'off', RATE_LIMITS_ENABLED: 'false' } }).rateLimits;
    expect(custom.groups.login).toEqual({ ip: { perMinute: 10, burst: 3 }, client: undefined });
    expect(custom.enabled).toBe(false);
  });

  test.each(['600', '600/min', '0/min,burst=1', '600/min,burst=0', '60001/min,burst=1', '10/s,burst=1', 'burst=1,10/min'])('refuses %j with the format', (value) => {
    expect(configRefusal({ RATE_LIMIT_TOKEN_IP: value })).toMatch(/^invalid setting RATE_LIMIT_TOKEN_IP: must be `<1 to 60000>\/min,burst=<1 to 100000>`/);
  });
});

describe('endpoint groups', () => {
  test.each([
    ['POST', '/token', 'token'],
    ['POST', '/TOKEN/', 'token'],
    ['POST', '/token/introspection', 'introspection'],
    ['POST', '/token/revocation', 'revocation'],
    ['GET', '/auth', 'auth'],
    ['POST', '/auth', 'auth'],
    ['POST', '/reg', 'registration'],
    ['GET', '/reg/some-client', 'registration'],
    ['POST', '/interaction/abc123/login', 'login'],
    ['POST', '/Interaction/abc123/Login/', 'login'],
  ])('%s %s is %s', (method, path, group) => {
    expect(rateLimitGroupOf({ method, path })).toBe(group);
  });

  test.each([
    ['GET', '/auth/abc123'], // the resumption after the login and consent pages
    ['OPTIONS', '/token'], // a CORS preflight
    ['GET', '/interaction/abc123'], // the login page itself
    ['POST', '/interaction/abc123/consent'],
    ['GET', '/.well-known/openid-configuration'],
    ['GET', '/jwks'],
    ['POST', '/tokens'],
  ])('%s %s is not limited', (method, path) => {
    expect(rateLimitGroupOf({ method, path })).toBeUndefined();
  });
});

describe('the client of a Basic header', () => {
  const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

  test('is the form-decoded part before the first colon', () => {
    expect(basicClientId(basic('app:secret'))).toBe('app');
    expect(basicClientId(basic('my%3Aapp:se:cret'))).toBe('my:app');
    expect(basicClientId(basic('my+app:secret'))).toBe('my app');
    expect(basicClientId(`bAsIc   ${Buffer.from('app:x').toString('base64')}`)).toBe('app');
  });

  test.each([undefined, '', 'Bearer abc', basic('no-colon'), basic(':secret'), basic('%E0%A4%A:secret')])('is none for %j', (header) => {
    expect(basicClientId(header)).toBeUndefined();
  });
});

describe('a failing store', () => {
  test('fails the take, then fails at once for a few seconds without asking it, then asks again', async () => {
    let now = Date.UTC(2026, 0, 1);
    let calls = 0;
    let failing = true;
    const memory = createMemoryStore().rateLimits;
    const slots: RateLimitStore = {
      claim: (claim) => memory.claim(claim),
      highest: (key, from) => ((calls += 1), failing ? Promise.reject(new Error('down')) : memory.highest(key, from)),
    };
    const limiter = createRateLimiter({ slots, clock: () => now });
    const bucket = { perMinute: 60, burst: 1 };
    await expect(limiter.take('k', bucket)).rejects.toThrow('down');
    const queued = await Promise.allSettled([1, 2, 3].map(() => limiter.take('k', bucket)));
    expect(queued.every((r) => r.status === 'rejected' && r.reason instanceof RateLimitStoreFailed)).toBe(true);
    expect(calls).toBe(1);
    failing = false;
    now += 5_000;
    expect(await limiter.take('k', bucket)).toEqual({ allowed: true });
    expect(calls).toBe(2);
  });
});
