/**
 * What the server refuses, each with the right OAuth error, and never redirecting to a redirect URI it
 * does not trust: missing or weak PKCE, redirect URIs that differ from the registered one, reused codes
 * (which revoke what they issued), wrong passwords, denied consent, expired interactions.
 */
import * as oidc from 'openid-client';
import { Browser, onlyForm } from '../helpers/browser.ts';
import { answerConsent, APP_REDIRECT, authorizationRequest, discoverApp, exchangeCode, runFrontChannel, signIn } from '../helpers/flow.ts';
import { CLIENT_SECRET, startTestServer, USER, type TestServer } from '../helpers/server.ts';
import { LOGIN_FAILED } from '../../src/interactions/index.ts';
import { BACKENDS } from '../helpers/backends.ts';

describe.each(BACKENDS)('%s store', (_backend, makeStore) => {
  let srv: TestServer;
  let app: oidc.Configuration;

  beforeAll(async () => {
    srv = await startTestServer({ store: await makeStore() });
    app = await discoverApp(srv.issuer);
  });
  afterAll(() => srv.close());

  const basic = `Basic ${Buffer.from(`app:${CLIENT_SECRET}`).toString('base64')}`;

  async function token(body: Record<string, string>, auth: string | undefined = basic) {
    const res = await fetch(`${srv.issuer}/token`, {
      method: 'POST',
      headers: { ...(auth ? { authorization: auth } : {}), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  function authUrl(params: Record<string, string | undefined>): string {
    const url = new URL(`${srv.issuer}/auth`);
    const defaults = { client_id: 'app', response_type: 'code', scope: 'openid', redirect_uri: APP_REDIRECT, state: 'st4te' };
    for (const [k, v] of Object.entries({ ...defaults, ...params })) if (v !== undefined) url.searchParams.set(k, v);
    return url.href;
  }

  const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

  describe('PKCE', () => {
    test.each([
      ['confidential', 'app', APP_REDIRECT],
      ['public', 'spa', 'https://spa.example/callback'],
    ])('a %s client without code_challenge is refused with invalid_request', async (_kind, clientId, redirectUri) => {
      const res = await fetch(authUrl({ client_id: clientId, redirect_uri: redirectUri }), { redirect: 'manual' });
      const location = new URL(res.headers.get('location') ?? '');
      expect(location.href.startsWith(redirectUri)).toBe(true);
      expect(location.searchParams.get('error')).toBe('invalid_request');
      expect(location.searchParams.get('error_description')).toMatch(/PKCE/);
    });

    test('code_challenge_method=plain is refused', async () => {
      const res = await fetch(authUrl({ code_challenge: CHALLENGE, code_challenge_method: 'plain' }), { redirect: 'manual' });
      const location = new URL(res.headers.get('location') ?? '');
      expect(location.searchParams.get('error')).toBe('invalid_request');
      expect(location.searchParams.get('error_description')).toMatch(/code_challenge_method/);
    });

    test('a code_verifier sent for a code whose request had no challenge is refused', async () => {
      // Every authorization request must carry a challenge, so such a code can only come from the store
      // directly (a code issued before PKCE was required); the token endpoint must still refuse the verifier.
      const flow = await runFrontChannel(srv.issuer, app);
      const { provider } = srv.app;
      const real = await provider.AuthorizationCode.find(flow.callback.searchParams.get('code') ?? '');
      if (!real) throw new Error('code not found');
      const legacy = new provider.AuthorizationCode({
        accountId: real.accountId,
        grantId: real.grantId,
        client: await provider.Client.find('app'),
        redirectUri: APP_REDIRECT,
        scope: 'openid',
        sessionUid: real.sessionUid,
      } as never);
      const code = await legacy.save();
      const res = await token({ grant_type: 'authorization_code', code, redirect_uri: APP_REDIRECT, code_verifier: 'a'.repeat(43) });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_grant');
    });

    test('a wrong code_verifier is refused', async () => {
      const flow = await runFrontChannel(srv.issuer, app);
      const res = await token({
        grant_type: 'authorization_code',
        code: flow.callback.searchParams.get('code') ?? '',
        redirect_uri: APP_REDIRECT,
        code_verifier: oidc.randomPKCECodeVerifier(),
      });
      expect(res.body.error).toBe('invalid_grant');
    });
  });

  describe('redirect_uri must match a registered one exactly', () => {
    test.each([
      ['a trailing slash', 'https://app.example/cb/'],
      ['a changed path', 'https://app.example/cb2'],
      ['an added query', 'https://app.example/cb?x=1'],
      ['a fragment', 'https://app.example/cb#frag'],
      ['another scheme', 'http://app.example/cb'],
      ['upper-case host', 'https://APP.example/cb'],
      ['userinfo', 'https://app.example@evil.example/cb'],
      ['another host', 'https://evil.example/cb'],
      ['a port', 'https://app.example:8443/cb'],
    ])('%s is refused without a redirect', async (_why, redirectUri) => {
      const res = await fetch(authUrl({ redirect_uri: redirectUri, code_challenge: CHALLENGE, code_challenge_method: 'S256' }), {
        redirect: 'manual',
        headers: { accept: 'text/html' },
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      const html = await res.text();
      expect(html).toContain('redirect_uri');
      expect(html).not.toContain(redirectUri);
    });

    test('at the token endpoint, a redirect_uri other than the authorization request one is invalid_grant', async () => {
      const flow = await runFrontChannel(srv.issuer, app);
      const res = await token({
        grant_type: 'authorization_code',
        code: flow.callback.searchParams.get('code') ?? '',
        redirect_uri: 'https://app.example/cb/',
        code_verifier: flow.request.verifier,
      });
      expect(res.body.error).toBe('invalid_grant');
    });
  });

  test('a reused authorization code is refused and the tokens issued from it are revoked', async () => {
    const flow = await runFrontChannel(srv.issuer, app, { scope: 'openid offline_access', prompt: 'consent' });
    const tokens = await exchangeCode(app, flow);
    const again = await token({
      grant_type: 'authorization_code',
      code: flow.callback.searchParams.get('code') ?? '',
      redirect_uri: APP_REDIRECT,
      code_verifier: flow.request.verifier,
    });
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');

    const refresh = await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token ?? '' });
    expect(refresh.body.error).toBe('invalid_grant');
    const me = await fetch(`${srv.issuer}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(me.status).toBe(401);
  });

  test('a wrong password shows only the generic message and issues nothing', async () => {
    const browser = new Browser(srv.issuer);
    const request = await authorizationRequest(app);
    const login = await browser.navigate(request.url.href);
    const failed = await signIn(browser, login, USER.email, 'not the password');
    expect(failed.status).toBe(200);
    expect(failed.url).toContain('/interaction/');
    expect(failed.html).toContain(LOGIN_FAILED);
    // The form is shown again, with the email kept and the password not.
    expect(onlyForm(failed).fields).toMatchObject({ email: USER.email, password: '' });

    const unknown = await signIn(browser, failed, 'nobody@example.com', 'not the password');
    expect(unknown.html).toContain(LOGIN_FAILED);
    expect(unknown.html.replace('nobody@example.com', USER.email)).toBe(failed.html);

    // Nothing was issued: the next correct sign-in is what finally returns to the app.
    const ok = await signIn(browser, unknown);
    expect(ok.html).toContain('name="decision"');
  });

  test('email is matched after trimming and lower-casing', async () => {
    const browser = new Browser(srv.issuer);
    const request = await authorizationRequest(app);
    const login = await browser.navigate(request.url.href);
    const consent = await signIn(browser, login, `  ${USER.email.toUpperCase()} `, USER.password);
    expect(consent.html).toContain('name="decision"');
  });

  test('denying consent returns access_denied to the client', async () => {
    const browser = new Browser(srv.issuer);
    const request = await authorizationRequest(app, { scope: 'openid email' });
    const login = await browser.navigate(request.url.href);
    const consent = await signIn(browser, login);
    expect(consent.html).toContain('Example App');
    expect(consent.html).toContain('See your email address');
    const back = await answerConsent(browser, consent, false);
    const url = new URL(back.url);
    expect(url.origin + url.pathname).toBe(APP_REDIRECT);
    expect(url.searchParams.get('error')).toBe('access_denied');
    expect(url.searchParams.get('state')).toBe(request.state);
    expect(url.searchParams.get('iss')).toBe(srv.issuer);
  });

  test('the consent page names the API and what each scope allows', async () => {
    const browser = new Browser(srv.issuer);
    const request = await authorizationRequest(app, { scope: 'openid profile api:read', resource: 'https://api.example' });
    const consent = await signIn(browser, await browser.navigate(request.url.href));
    expect(consent.html).toContain('Example API');
    expect(consent.html).toContain('Read your data (api:read)');
    expect(consent.html).toContain('See your name');
    const buttons = onlyForm(consent).buttons;
    expect(buttons[0]?.value).toBe('allow');
  });

  describe('an expired or missing interaction', () => {
    test('renders a friendly page with a way back to the app, not a 500', async () => {
      const res = await fetch(`${srv.issuer}/interaction/no-such-uid?client_id=app`, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain('expired');
      expect(html).toContain('href="https://app.example"');
      expect(html).toContain('Back to Example App');
    });

    test('a login POST for a finished interaction is refused the same way', async () => {
      const browser = new Browser(srv.issuer);
      const request = await authorizationRequest(app);
      const login = await browser.navigate(request.url.href);
      await signIn(browser, login);
      const replay = await signIn(browser, login);
      expect(replay.status).toBe(400);
      expect(replay.html).toContain('expired');
    });

    test('an unknown client_id on the expired page links nowhere', async () => {
      const res = await fetch(`${srv.issuer}/interaction/x?client_id=${encodeURIComponent('https://evil.example')}`, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(400);
      expect(await res.text()).not.toContain('evil.example');
    });

    test('API callers get the OAuth error shape', async () => {
      const res = await fetch(`${srv.issuer}/interaction/x`, { headers: { accept: 'application/json' } });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: 'session_not_found', error_description: expect.any(String) });
    });
  });

  test('RP-initiated logout asks for confirmation and ends the session', async () => {
    const flow = await runFrontChannel(srv.issuer, app);
    const tokens = await exchangeCode(app, flow);
    const url = oidc.buildEndSessionUrl(app, { id_token_hint: tokens.id_token ?? '', post_logout_redirect_uri: 'https://app.example/', state: 'bye' });
    const confirm = await flow.browser.navigate(url.href);
    expect(confirm.html).toContain('Sign out?');
    const form = onlyForm(confirm);
    expect(form.buttons[0]?.label).toBe('Sign out');
    const done = await flow.browser.submit(confirm, form, {}, 0);
    expect(done.url).toBe('https://app.example/?state=bye');

    // Signed out: a new authorization request asks for the password again.
    const request = await authorizationRequest(app);
    const page = await flow.browser.navigate(request.url.href);
    expect(page.html).toContain('name="password"');
  });
});
