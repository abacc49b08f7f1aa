/**
 * Rate limits through the real HTTP surface, on both stores, with small buckets set through the
 * environment and the limiter's clock under the test's control: a burst beyond the token endpoint's
 * limit answers 429 with Retry-After in the OAuth error shape and refills with the clock; the per-client
 * and per-address buckets are separate (the test server only ever sees 127.0.0.1, so the address limit
 * shows across two clients); two instances on one store share a limit; the login form renders the error
 * page; `/auth` counts only the initial request; a store that fails lets requests through.
 */
import { BACKENDS, mongoTestStore, testDatabaseName } from '../helpers/backends.ts';
import { Browser, type Page } from '../helpers/browser.ts';
import { authorizationRequest, discoverApp, runFrontChannel, signIn } from '../helpers/flow.ts';
import { CLIENT_SECRET, startTestServer, type TestServer, type TestServerOptions } from '../helpers/server.ts';
import { createMemoryStore, type Store } from '../../src/store/index.ts';

/** A minute-aligned start: with 6 a minute a token comes back every 10 s, on the boundaries. */
const T0 = Math.floor(Date.now() / 60_000) * 60_000;
const SLOW = '6/min,burst=';
const BASIC = `Basic ${Buffer.from(`app:${CLIENT_SECRET}`).toString('base64')}`;

describe.each(BACKENDS)('%s store', (backend, makeStore) => {
  const running: TestServer[] = [];
  let now: number;
  beforeEach(() => {
    now = T0;
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.close()));
  });

  async function start(env: Record<string, string>, options: TestServerOptions = {}): Promise<TestServer> {
    const srv = await startTestServer({ env, clock: () => now, ...options, store: options.store ?? (await makeStore()) });
    running.push(srv);
    return srv;
  }

  /** Two stores on one database (MongoDB), or one store twice (memory): two instances' view of it. */
  async function sharedStores(): Promise<[Store, Store]> {
    if (backend !== 'mongodb') {
      const store = createMemoryStore();
      return [store, store];
    }
    const name = testDatabaseName();
    return [await mongoTestStore(Date.now, name), await mongoTestStore(Date.now, name)];
  }

  /** A client credentials request as the confidential app (Basic), or a code redemption as the public SPA (client_id in the body). */
  const asApp = (srv: TestServer, path = '/token') =>
    fetch(`${srv.url}${path}`, { method: 'POST', headers: { authorization: BASIC }, body: new URLSearchParams({ grant_type: 'client_credentials' }) });
  const asSpa = (srv: TestServer) =>
    fetch(`${srv.url}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: 'spa', code: 'not-a-code', redirect_uri: 'https://spa.example/callback', code_verifier: 'v'.repeat(43) }),
    });
  const statuses = async (requests: Array<() => Promise<Response>>) => {
    const out: number[] = [];
    for (const request of requests) out.push((await request()).status);
    return out;
  };
  const times = (n: number, request: () => Promise<Response>) => Array.from({ length: n }, () => request);

  test('a burst beyond the token endpoint limit gets 429, Retry-After and the OAuth error shape; the bucket refills with time', async () => {
    const srv = await start({ RATE_LIMIT_TOKEN_IP: `${SLOW}3` });
    expect(await statuses(times(3, () => asApp(srv)))).toEqual([200, 200, 200]);
    const refused = await asApp(srv);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('10');
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect(await refused.json()).toEqual({ error: 'rate_limit_exceeded', error_description: 'Too many attempts. Try again in 10 seconds.' });
    now += 4_000;
    expect((await asApp(srv)).headers.get('retry-after')).toBe('6');
    now += 6_000; // one token back
    expect(await statuses(times(2, () => asApp(srv)))).toEqual([200, 429]);
    expect(srv.logs()).toContainEqual(expect.objectContaining({ event: 'rate_limit.exceeded', group: 'token', scope: 'ip', ip: '127.0.0.1' }));
  });

  test('each client has its own bucket, named by Basic authentication or by the form body', async () => {
    const srv = await start({ RATE_LIMIT_TOKEN_CLIENT: `${SLOW}2` });
    expect(await statuses(times(3, () => asApp(srv)))).toEqual([200, 200, 429]);
    // The public client's requests still reach oidc-provider with their body (read before it, put back).
    const spa = await asSpa(srv);
    expect([spa.status, ((await spa.json()) as { error: string }).error]).toEqual([400, 'invalid_grant']);
    expect(await statuses(times(2, () => asSpa(srv)))).toEqual([400, 429]);
    // A body the limiter cannot read names no client; oidc-provider refuses it as it always did.
    const bogus = await fetch(`${srv.url}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=bogus' }, body: 'client_id=spa' });
    expect(bogus.status).toBe(400);
    expect(srv.logs()).toContainEqual(expect.objectContaining({ event: 'rate_limit.exceeded', scope: 'client', client_id: 'spa' }));
  });

  test('the address limit counts every client: naming another client does not get round it', async () => {
    const srv = await start({ RATE_LIMIT_TOKEN_IP: `${SLOW}3` });
    expect(await statuses([() => asApp(srv), () => asApp(srv), () => asSpa(srv)])).toEqual([200, 200, 400]);
    expect(await statuses([() => asSpa(srv), () => asApp(srv)])).toEqual([429, 429]);
  });

  test('two instances on one store share one limit', async () => {
    const [first, second] = await sharedStores();
    const env = { RATE_LIMIT_TOKEN_IP: `${SLOW}4` };
    const [a, b] = [await start(env, { store: first }), await start(env, { store: second })];
    expect(await statuses([() => asApp(a), () => asApp(b), () => asApp(a), () => asApp(b)])).toEqual([200, 200, 200, 200]);
    // b never refused anything yet: it asks the store, which says no.
    expect(await statuses([() => asApp(b), () => asApp(a)])).toEqual([429, 429]);
    now += 10_000;
    expect(await statuses([() => asApp(b), () => asApp(a)])).toEqual([200, 429]);
  });

  test('introspection, revocation, registration and a case-folded /TOKEN/ are limited too', async () => {
    const srv = await start({
      RATE_LIMIT_TOKEN_IP: `${SLOW}1`,
      RATE_LIMIT_INTROSPECTION_IP: `${SLOW}1`,
      RATE_LIMIT_REVOCATION_IP: `${SLOW}1`,
      RATE_LIMIT_REGISTRATION_IP: `${SLOW}1`,
    });
    expect(await statuses([() => asApp(srv, '/TOKEN/'), () => asApp(srv)])).toEqual([200, 429]);
    const tokenRequest = (path: string) => () =>
      fetch(`${srv.url}${path}`, { method: 'POST', headers: { authorization: BASIC }, body: new URLSearchParams({ token: 'unknown' }) });
    expect(await statuses(times(2, tokenRequest('/token/introspection')))).toEqual([200, 429]);
    expect(await statuses(times(2, tokenRequest('/token/revocation')))).toEqual([200, 429]);
    // Registration is disabled (404), but its path is limited all the same.
    const register = () => fetch(`${srv.url}/reg`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(await statuses(times(2, register))).toEqual([404, 429]);
  });

  test('the login form beyond its limit renders the error page with 429', async () => {
    const srv = await start({ RATE_LIMIT_LOGIN_IP: `${SLOW}2` });
    const app = await discoverApp(srv.issuer);
    const browser = new Browser(srv.issuer);
    const page: Page = await browser.navigate((await authorizationRequest(app)).url.href);
    for (let i = 0; i < 2; i += 1) expect((await signIn(browser, page, 'ada@example.com', 'wrong password')).status).toBe(200);
    const refused = await signIn(browser, page);
    expect([refused.status, refused.headers.get('retry-after')]).toEqual([429, '10']);
    expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
    expect(refused.html).toContain('Too many attempts. Try again in 10 seconds.');
    expect(refused.html).toContain('rate_limit_exceeded');
    expect(refused.html).not.toContain('name="password"');
  });

  test('only the initial authorization request counts: a whole sign-in fits in a bucket of one', async () => {
    const srv = await start({ RATE_LIMIT_AUTH_IP: `${SLOW}1` });
    const app = await discoverApp(srv.issuer);
    await runFrontChannel(srv.issuer, app); // /auth, login, consent, and /auth/:uid resumed twice
    const refused = await new Browser(srv.issuer).navigate((await authorizationRequest(app)).url.href);
    expect([refused.status, refused.headers.get('retry-after')]).toEqual([429, '10']);
    expect(refused.html).toContain('rate_limit_exceeded');
  });

  test('with RATE_LIMITS_ENABLED=false nothing is limited', async () => {
    const srv = await start({ RATE_LIMITS_ENABLED: 'false', RATE_LIMIT_TOKEN_IP: `${SLOW}1`, RATE_LIMIT_TOKEN_CLIENT: `${SLOW}1` });
    expect(await statuses(times(5, () => asApp(srv)))).toEqual([200, 200, 200, 200, 200]);
  });

  test('a failing store lets requests through, with one warning', async () => {
    const base = await makeStore();
    const down = () => Promise.reject(new Error('rate limit store down'));
    const srv = await start({ RATE_LIMIT_TOKEN_IP: `${SLOW}1` }, { store: { ...base, rateLimits: { claim: down, highest: down } } });
    expect(await statuses(times(4, () => asApp(srv)))).toEqual([200, 200, 200, 200]);
    expect(srv.logs().filter((l) => l.event === 'rate_limit.unavailable')).toHaveLength(1);
  });
});
