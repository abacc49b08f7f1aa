/**
 * How a StoreUnavailable reaches the client, through the real app and oidc-provider's own error handlers:
 * the token endpoint, userinfo and introspection answer 503 `temporarily_unavailable` in the OAuth JSON
 * shape (not 500 `server_error`), the authorization endpoint and our hosted pages show the error page
 * with status 503, and /readyz answers 503 within its bound even when the ping hangs. The store here is
 * the memory store behind a switch that makes every call throw StoreUnavailable, as the MongoDB store
 * does during an outage (test/e2e/outage.test.ts has the real thing).
 */
import { createMemoryStore, type Store } from '../../src/store/index.ts';
import { STORE_UNAVAILABLE_DESCRIPTION, StoreUnavailable } from '../../src/store/unavailable.ts';
import { Browser, onlyForm } from '../helpers/browser.ts';
import { authorizationRequest, discoverApp } from '../helpers/flow.ts';
import { field, offlineTokens, postForm, refresh } from '../helpers/refresh.ts';
import { startTestServer, USER, type TestServer } from '../helpers/server.ts';

/** The store, with every call failing while `down()` says so (and the ping hanging, as a frozen server's would). */
function switchable(store: Store, down: () => boolean): Store {
  const failing = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(obj, key) {
        const value: unknown = Reflect.get(obj, key, obj);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => (down() ? Promise.reject(new StoreUnavailable(new Error('test outage'))) : value.apply(obj, args));
      },
    });
  return {
    ...store,
    models: { model: (name) => failing(store.models.model(name)) },
    accounts: failing(store.accounts),
    clients: failing(store.clients),
    resourceServers: failing(store.resourceServers),
    deviceSessions: failing(store.deviceSessions),
    loginAttempts: failing(store.loginAttempts),
    securityEvents: failing(store.securityEvents),
    ping: () => (down() ? new Promise<void>(() => {}) : store.ping()),
  };
}

let outage = false;
let srv: TestServer;

beforeAll(async () => {
  srv = await startTestServer({ store: switchable(createMemoryStore(), () => outage), env: { MONGODB_OPERATION_TIMEOUT_MS: '200' } });
});

afterAll(async () => {
  outage = false;
  await srv.close();
});

afterEach(() => {
  outage = false;
});

test('oidc-provider endpoints answer 503 temporarily_unavailable in the OAuth shape', async () => {
  const tokens = await offlineTokens(srv.issuer);
  outage = true;

  const refreshed = await refresh(srv.issuer, 'app', tokens.refresh_token ?? '');
  expect(refreshed).toEqual({ status: 503, body: { error: 'temporarily_unavailable', error_description: STORE_UNAVAILABLE_DESCRIPTION } });

  const introspected = await postForm(srv.issuer, '/token/introspection', 'app', { token: tokens.access_token });
  expect(introspected.status).toBe(503);
  expect(introspected.body.error).toBe('temporarily_unavailable');

  const me = await fetch(`${srv.issuer}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  expect(me.status).toBe(503);
  expect(((await me.json()) as { error?: string }).error).toBe('temporarily_unavailable');

  expect(srv.logs().some((l) => l.msg === 'oidc-provider server error')).toBe(false);

  outage = false;
  const after = await refresh(srv.issuer, 'app', tokens.refresh_token ?? '');
  expect(after.status).toBe(200);
  expect(field(after, 'refresh_token')).not.toBe(tokens.refresh_token);
});

test('the authorization endpoint and the hosted login page show the error page with status 503', async () => {
  const app = await discoverApp(srv.issuer);
  const browser = new Browser(srv.issuer);
  const loginPage = await browser.navigate((await authorizationRequest(app)).url.href);
  expect(loginPage.html).toContain('name="password"');
  outage = true;

  const auth = await new Browser(srv.issuer).navigate((await authorizationRequest(app)).url.href);
  expect(auth.status).toBe(503);
  expect(auth.headers.get('content-type')).toMatch(/^text\/html/);
  expect(auth.html).toContain('temporarily_unavailable');

  const login = await browser.submit(loginPage, onlyForm(loginPage), { email: USER.email, password: USER.password });
  expect(login.status).toBe(503);
  expect(login.html).toContain('temporarily_unavailable');
  expect(login.html).not.toContain('test outage');
});

test('/readyz answers 503 unready within its bound while the ping hangs; /healthz stays 200', async () => {
  outage = true;
  const ready = await fetch(`${srv.issuer}/readyz`, { signal: AbortSignal.timeout(20_000) });
  expect(ready.status).toBe(503);
  expect(await ready.json()).toEqual({ status: 'unready', checks: { store: 'unreachable', keys: 'ok' } });
  expect((await fetch(`${srv.issuer}/healthz`)).status).toBe(200);
  outage = false;
  expect((await fetch(`${srv.issuer}/readyz`)).status).toBe(200);
});
