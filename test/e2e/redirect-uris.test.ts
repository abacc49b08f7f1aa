/**
 * Redirect URI validation against the tricks of real CVEs: every variant of a registered URI that is not
 * exactly it is refused with an error page and no redirect (RFC 9700 §2.1, §4.1). Native apps may use
 * any port on the loopback address they registered (RFC 8252 §7.3), and nothing else.
 */
import { startTestServer, type TestServer } from '../helpers/server.ts';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
  await srv.app.bootstrap('redirect tests', {
    clients: [
      {
        client_id: 'web',
        redirect_uris: ['https://app.example/cb', 'https://app.example/path/cb?tenant=1'],
        token_endpoint_auth_method: 'none',
        scope: 'openid',
      },
      {
        client_id: 'native',
        application_type: 'native',
        redirect_uris: ['http://127.0.0.1/callback', 'com.example.app:/oauth2redirect'],
        token_endpoint_auth_method: 'none',
        scope: 'openid',
      },
    ],
  });
});
afterAll(() => srv.close());

const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

async function authorize(clientId: string, redirectUri: string) {
  const url = new URL(`${srv.issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    scope: 'openid',
    redirect_uri: redirectUri,
    state: 'st',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
  }).toString();
  const res = await fetch(url, { redirect: 'manual', headers: { accept: 'text/html' } });
  return { status: res.status, location: res.headers.get('location'), body: await res.text() };
}

async function expectRefused(clientId: string, redirectUri: string) {
  const r = await authorize(clientId, redirectUri);
  expect({ redirectUri, status: r.status, location: r.location }).toEqual({ redirectUri, status: 400, location: null });
  expect(r.body).toContain('redirect_uri');
}

describe('a web client: exact match only', () => {
  test.each([
    ['path traversal ..;/', 'https://app.example/cb/..;/admin'],
    ['path traversal %2e%2e', 'https://app.example/cb/%2e%2e/evil'],
    ['encoded slash traversal', 'https://app.example/cb%2f..%2fevil'],
    ['dot segment', 'https://app.example/./cb'],
    ['userinfo', 'https://app.example@evil.example/cb'],
    ['userinfo with password', 'https://app.example:pw@evil.example/cb'],
    ['several @', 'https://evil.example@app.example@evil.example/cb'],
    ['upper-case scheme', 'HTTPS://app.example/cb'],
    ['upper-case host', 'https://APP.EXAMPLE/cb'],
    ['mixed-case path', 'https://app.example/CB'],
    ['javascript:', 'javascript:alert(1)//https://app.example/cb'],
    ['JavaScript: mixed case', 'JaVaScRiPt:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['DATA: upper case', 'DATA:text/html;base64,PHNjcmlwdD4='],
    ['a fragment', 'https://app.example/cb#x'],
    ['an empty fragment', 'https://app.example/cb#'],
    ['an extra trailing slash', 'https://app.example/cb/'],
    ['a missing path', 'https://app.example'],
    ['a missing trailing part', 'https://app.example/c'],
    ['an added query', 'https://app.example/cb?x=1'],
    ['a changed query', 'https://app.example/path/cb?tenant=2'],
    ['a removed query', 'https://app.example/path/cb'],
    ['an extra query parameter', 'https://app.example/path/cb?tenant=1&x=2'],
    ['http instead of https', 'http://app.example/cb'],
    ['an explicit port', 'https://app.example:443/cb'],
    ['another port', 'https://app.example:8443/cb'],
    ['a subdomain', 'https://evil.app.example/cb'],
    ['a suffix domain', 'https://app.example.evil.example/cb'],
    ['a trailing dot host', 'https://app.example./cb'],
    ['a backslash', 'https://app.example\\@evil.example/cb'],
    ['a loopback for a web client', 'http://127.0.0.1/cb'],
  ])('%s is refused without a redirect', (_trick, uri) => expectRefused('web', uri));

  test('the registered URIs themselves are accepted', async () => {
    for (const uri of ['https://app.example/cb', 'https://app.example/path/cb?tenant=1']) {
      const r = await authorize('web', uri);
      expect(r.status).toBe(303);
      expect(r.location).toContain('/interaction/');
    }
  });
});

describe('a native client (RFC 8252): loopback with any port, nothing else', () => {
  test.each([
    ['the registered loopback without a port', 'http://127.0.0.1/callback'],
    ['the registered loopback with an ephemeral port', 'http://127.0.0.1:51234/callback'],
    ['the registered private-use scheme', 'com.example.app:/oauth2redirect'],
  ])('%s is accepted', async (_case, uri) => {
    const r = await authorize('native', uri);
    expect(r.status).toBe(303);
    expect(r.location).toContain('/interaction/');
  });

  test.each([
    ['localhost instead of 127.0.0.1', 'http://localhost:51234/callback'],
    ['[::1] instead of 127.0.0.1', 'http://[::1]:51234/callback'],
    ['another loopback address', 'http://127.0.0.2:51234/callback'],
    ['another path on the loopback', 'http://127.0.0.1:51234/other'],
    ['https on the loopback', 'https://127.0.0.1:51234/callback'],
    ['a query on the loopback', 'http://127.0.0.1:51234/callback?x=1'],
    ['another private-use scheme', 'com.evil.app:/oauth2redirect'],
    ['a private-use scheme with another path', 'com.example.app:/other'],
    ['a non-loopback host', 'http://evil.example:51234/callback'],
  ])('%s is refused without a redirect', (_case, uri) => expectRefused('native', uri));
});
