/**
 * The account page over HTTP, the way a browser uses it: signing in through the hosted login, listing
 * and ending sessions, revoking an app (its refresh token then answers invalid_grant), changing the
 * password, CSRF on every action. Runs on both stores.
 */
import * as oidc from 'openid-client';
import { BACKENDS } from '../helpers/backends.ts';
import { Browser, parseForms, type Form, type Page } from '../helpers/browser.ts';
import { discoverApp, exchangeCode, runFrontChannel, signIn } from '../helpers/flow.ts';
import { CLIENT_SECRET, startTestServer, USER, type TestServer } from '../helpers/server.ts';

function formFor(page: Page, action: string): Form {
  const form = parseForms(page.html).find((f) => f.action === action);
  if (!form) throw new Error(`no form ${action} on ${page.url}: ${parseForms(page.html).map((f) => f.action).join(', ')}`);
  return form;
}

describe.each(BACKENDS)('%s store', (_backend, makeStore) => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({ store: await makeStore() });
  });
  afterAll(() => srv.close());

  /** Opens /account in a new browser and signs in; returns the browser on its account page. */
  async function signedInBrowser(userAgent: string, password: string = USER.password): Promise<{ browser: Browser; page: Page }> {
    const browser = new Browser(srv.issuer, { 'user-agent': userAgent });
    const login = await browser.navigate(`${srv.issuer}/account`);
    expect(login.html).toContain('name="password"');
    const page = await signIn(browser, login, USER.email, password);
    expect(page.url).toBe(`${srv.issuer}/account`);
    return { browser, page };
  }

  const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
  const SAFARI = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

  test('signing in through the hosted login (no consent page: the account page is first-party)', async () => {
    const { page } = await signedInBrowser(FIREFOX);
    expect(page.status).toBe(200);
    expect(page.html).toContain(USER.email);
    expect(page.headers.get('cache-control')).toBe('no-store');
  });

  test('lists two sessions with browser and OS, marks this device, and ends the other one', async () => {
    const one = await signedInBrowser(FIREFOX);
    const two = await signedInBrowser(SAFARI);
    const page = await one.browser.navigate(`${srv.issuer}/account`);
    expect(page.html).toContain('Firefox');
    expect(page.html).toContain('Linux');
    expect(page.html).toContain('Safari');
    expect(page.html).toContain('iOS');
    expect(page.html).toContain('This device');

    const endForms = parseForms(page.html).filter((f) => /^\/account\/sessions\/[^/]+\/end$/.test(f.action));
    expect(endForms.length).toBeGreaterThanOrEqual(1);
    // End every other session listed (other tests may have signed in too), then the second browser is out.
    let current = page;
    for (const form of endForms) current = await one.browser.submit(current, form);
    expect(current.url).toContain('/account');
    const again = await two.browser.navigate(`${srv.issuer}/account`);
    expect(again.html).toContain('name="password"');
    // The first browser is still signed in.
    expect((await one.browser.navigate(`${srv.issuer}/account`)).html).toContain(USER.email);
  });

  test('revoking an app makes its refresh token answer invalid_grant and its access token inactive', async () => {
    const { browser } = await signedInBrowser(FIREFOX);
    const app = await discoverApp(srv.issuer);
    const flow = await runFrontChannel(srv.issuer, app, { scope: 'openid email offline_access', prompt: 'consent' }, browser);
    const tokens = await exchangeCode(app, flow);

    const page = await browser.navigate(`${srv.issuer}/account`);
    expect(page.html).toContain('Example App');
    expect(page.html).toContain('See your email address');
    const after = await browser.submit(page, formFor(page, '/account/apps/app/revoke'));
    expect(after.html).not.toContain('/account/apps/app/revoke');

    await expect(oidc.refreshTokenGrant(app, tokens.refresh_token ?? '')).rejects.toMatchObject({ error: 'invalid_grant' });
    const introspection = await fetch(`${srv.issuer}/token/introspection`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`app:${CLIENT_SECRET}`).toString('base64')}` },
      body: new URLSearchParams({ token: tokens.access_token }),
    });
    expect(((await introspection.json()) as { active: boolean }).active).toBe(false);
    // The app's sign-in no longer carries over: it must ask for consent again.
    const back = await browser.navigate((await oidc.buildAuthorizationUrl(app, {
      redirect_uri: 'https://app.example/cb', scope: 'openid email', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256',
    })).href);
    expect(back.html).toContain('name="decision"');
  });

  test('every action needs the CSRF token of this session', async () => {
    const one = await signedInBrowser(FIREFOX);
    const two = await signedInBrowser(SAFARI);
    const page = await one.browser.navigate(`${srv.issuer}/account`);
    const form = formFor(page, '/account/sessions/end-others');
    const missing = await one.browser.submit(page, form, { csrf: '' });
    expect(missing.status).toBe(403);
    // A token from another session does not work either.
    const otherToken = formFor(await two.browser.navigate(`${srv.issuer}/account`), '/account/sessions/end-others').fields.csrf ?? '';
    const foreign = await one.browser.submit(page, form, { csrf: otherToken });
    expect(foreign.status).toBe(403);
    expect((await two.browser.navigate(`${srv.issuer}/account`)).html).toContain(USER.email);
  });

  test('changing the password needs the current one, follows the policy, and signs out other sessions', async () => {
    const one = await signedInBrowser(FIREFOX);
    const two = await signedInBrowser(SAFARI);
    let page = await one.browser.navigate(`${srv.issuer}/account`);

    const wrong = await one.browser.submit(page, formFor(page, '/account/password'), { current_password: 'not it', new_password: 'a brand new passphrase' });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('Your current password is incorrect.');

    const weak = await one.browser.submit(wrong, formFor(wrong, '/account/password'), { current_password: USER.password, new_password: 'short' });
    expect(weak.status).toBe(400);

    const next = 'a brand new passphrase for ada';
    page = await one.browser.submit(weak, formFor(weak, '/account/password'), { current_password: USER.password, new_password: next });
    expect(page.url).toContain('/account?notice=password-changed');
    expect((await two.browser.navigate(`${srv.issuer}/account`)).html).toContain('name="password"');

    // The new password signs in; then put the old one back for the other tests.
    const three = await signedInBrowser(SAFARI, next);
    const restore = await three.browser.navigate(`${srv.issuer}/account`);
    await three.browser.submit(restore, formFor(restore, '/account/password'), { current_password: next, new_password: USER.password });
  });

  test('signing out everywhere ends this session and every other one', async () => {
    const other = await signedInBrowser(SAFARI);
    const { browser, page } = await signedInBrowser(FIREFOX);
    const out = await browser.submit(page, formFor(page, '/account/logout'));
    expect(out.status).toBe(200);
    expect((await browser.navigate(`${srv.issuer}/account`)).html).toContain('name="password"');
    expect((await other.browser.navigate(`${srv.issuer}/account`)).html).toContain('name="password"');
  });
});
