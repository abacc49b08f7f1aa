/** The README's "Try it in five minutes", step by step, against the dev demo seed. */
import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { demoBootstrap, DEMO_PASSWORD } from '../../src/bootstrap/index.ts';
import { Browser } from '../helpers/browser.ts';
import { answerConsent, signIn } from '../helpers/flow.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ bootstrap: false });
  await srv.app.bootstrap('demo', demoBootstrap(srv.issuer));
});
afterAll(() => srv.close());

test('the walkthrough: PKCE pair, sign in, allow, exchange with resource, verify against /jwks', async () => {
  const api = `${srv.issuer}/demo-api`;
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const auth = new URL(`${srv.issuer}/auth`);
  for (const [k, v] of Object.entries({
    client_id: 'demo-app',
    response_type: 'code',
    redirect_uri: 'http://localhost:8080/callback',
    scope: 'openid profile email api:read',
    resource: api,
    state: 'xyz',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  })) auth.searchParams.set(k, v);

  const browser = new Browser(srv.issuer);
  const login = await browser.navigate(auth.href);
  const consent = await signIn(browser, login, 'demo@example.com', DEMO_PASSWORD);
  expect(consent.html).toContain('Portcullis Demo App');
  expect(consent.html).toContain('Demo API');
  const callback = new URL((await answerConsent(browser, consent)).url);
  expect(callback.origin + callback.pathname).toBe('http://localhost:8080/callback');
  expect(callback.searchParams.get('state')).toBe('xyz');
  expect(callback.searchParams.get('iss')).toBe(srv.issuer);

  const res = await fetch(`${srv.issuer}/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: 'demo-app',
      redirect_uri: 'http://localhost:8080/callback',
      code_verifier: verifier,
      resource: api,
      code: callback.searchParams.get('code') ?? '',
    }),
  });
  expect(res.status).toBe(200);
  const tokens = (await res.json()) as { access_token: string; id_token: string };
  expect(tokens.id_token).toBeDefined();
  const { payload } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(`${srv.issuer}/jwks`)), {
    issuer: srv.issuer,
    audience: api,
    typ: 'at+jwt',
  });
  expect(payload).toMatchObject({ client_id: 'demo-app', scope: 'api:read' });
});
