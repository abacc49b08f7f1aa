/**
 * Consent: once granted it is remembered (the next request with the same scopes goes straight back to
 * the app); a wider request asks again for what is new; a first-party client never sees the page.
 */
import { Browser } from '../helpers/browser.ts';
import { APP_REDIRECT, authorizationRequest, discoverApp, runFrontChannel, signIn } from '../helpers/flow.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
  await srv.app.bootstrap('first party', {
    clients: [
      {
        client_id: 'dashboard',
        client_name: 'Our Dashboard',
        redirect_uris: [APP_REDIRECT],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
        scope: 'openid profile email',
        first_party: true,
      },
    ],
  });
});
afterAll(() => srv.close());

test('a granted consent is remembered; a wider request asks only for what is new', async () => {
  const app = await discoverApp(srv.issuer);
  const browser = new Browser(srv.issuer);
  await runFrontChannel(srv.issuer, app, { scope: 'openid profile' }, browser);

  const same = await browser.navigate((await authorizationRequest(app, { scope: 'openid profile' })).url.href);
  expect(same.url.startsWith(`${APP_REDIRECT}?code=`)).toBe(true);

  const wider = await browser.navigate((await authorizationRequest(app, { scope: 'openid profile email' })).url.href);
  expect(wider.html).toContain('name="decision"');
  expect(wider.html).toContain('See your email address');
  expect(wider.html).not.toContain('See your name');
});

test('a first-party client skips the consent page', async () => {
  const dashboard = await discoverApp(srv.issuer, 'dashboard', null);
  const browser = new Browser(srv.issuer);
  const login = await browser.navigate((await authorizationRequest(dashboard, { scope: 'openid email' })).url.href);
  const back = await signIn(browser, login);
  expect(back.url.startsWith(`${APP_REDIRECT}?code=`)).toBe(true);
});

test('first_party must be a boolean', async () => {
  await expect(
    srv.app.bootstrap('bad', { clients: [{ client_id: 'x', redirect_uris: [APP_REDIRECT], token_endpoint_auth_method: 'none', first_party: 'yes' }] }),
  ).rejects.toThrow(/first_party must be a boolean/);
});
