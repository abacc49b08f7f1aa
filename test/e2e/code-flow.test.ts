/**
 * The foundation end to end over real HTTP: a third-party app (openid-client) runs the code flow with
 * PKCE through the hosted login and consent pages, verifies the ID token, gets a JWT access token that a
 * resource API verifies against /jwks alone, rotates refresh tokens, and uses userinfo, introspection
 * and revocation.
 */
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { API, CLIENT_SECRET, startTestServer, USER, type TestServer } from '../helpers/server.ts';
import { discoverApp, exchangeCode, runFrontChannel } from '../helpers/flow.ts';
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

  async function postForm(path: string, body: Record<string, string>, auth = basic) {
    const res = await fetch(`${srv.issuer}${path}`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(body),
    });
    return { status: res.status, body: (await res.json().catch(() => undefined)) as Record<string, unknown> };
  }

  test('discovery advertises only what works', async () => {
    const meta = app.serverMetadata();
    expect(meta.issuer).toBe(srv.issuer);
    expect(meta.code_challenge_methods_supported).toEqual(['S256']);
    expect(meta.response_types_supported).toEqual(['code']);
    expect(meta.authorization_response_iss_parameter_supported).toBe(true);
    expect(meta.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']));
    expect(meta.grant_types_supported).not.toContain('implicit');
    expect(meta.userinfo_endpoint).toBe(`${srv.issuer}/me`);
    expect(meta.revocation_endpoint).toBeDefined();
    expect(meta.introspection_endpoint).toBeDefined();
    expect(meta.end_session_endpoint).toBeDefined();
  });

  test('code flow with PKCE through the hosted pages yields a valid ID token', async () => {
    const flow = await runFrontChannel(srv.issuer, app);
    // RFC 9207: the authorization response names its issuer.
    expect(flow.callback.searchParams.get('iss')).toBe(srv.issuer);
    const tokens = await exchangeCode(app, flow);
    const claims = tokens.claims();
    expect(claims).toMatchObject({ iss: srv.issuer, aud: 'app', nonce: flow.request.nonce });
    expect(decodeProtectedHeader(tokens.id_token ?? '').alg).toBe('RS256');

    // The opaque access token works at userinfo and releases the consented claims.
    const userinfo = await oidc.fetchUserInfo(app, tokens.access_token, claims?.sub ?? '');
    expect(userinfo).toMatchObject({ sub: claims?.sub, email: USER.email, email_verified: true, name: USER.name });
  });

  test('an access token for a registered resource is an RFC 9068 JWT the API verifies against /jwks alone', async () => {
    const flow = await runFrontChannel(srv.issuer, app, { scope: 'openid api:read', resource: API });
    const tokens = await exchangeCode(app, flow, { resource: API });
    const jwks = createRemoteJWKSet(new URL(app.serverMetadata().jwks_uri ?? ''));
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, {
      issuer: srv.issuer,
      audience: API,
      typ: 'at+jwt',
    });
    expect(protectedHeader.typ).toBe('at+jwt');
    expect(payload).toMatchObject({ client_id: 'app', scope: 'api:read', sub: tokens.claims()?.sub });
    expect(typeof payload.jti).toBe('string');
    expect(typeof payload.exp).toBe('number');
  });

  test('an API scope the client is not registered for is never granted', async () => {
    const flow = await runFrontChannel(srv.issuer, app, { scope: 'openid api:read api:write', resource: API });
    const tokens = await exchangeCode(app, flow, { resource: API });
    const { payload } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(`${srv.issuer}/jwks`)), { audience: API });
    expect(payload.scope).toBe('api:read');
  });

  test('client credentials get a JWT for the resource server', async () => {
    const tokens = await oidc.clientCredentialsGrant(app, { scope: 'api:read', resource: API });
    const { payload } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(`${srv.issuer}/jwks`)), {
      issuer: srv.issuer,
      audience: API,
      typ: 'at+jwt',
    });
    expect(payload).toMatchObject({ client_id: 'app', scope: 'api:read' });
  });

  test('refresh tokens rotate; presenting a rotated one revokes the whole grant', async () => {
    const flow = await runFrontChannel(srv.issuer, app, { scope: 'openid offline_access', prompt: 'consent' });
    const first = await exchangeCode(app, flow);
    expect(first.refresh_token).toBeDefined();

    const second = await oidc.refreshTokenGrant(app, first.refresh_token ?? '');
    expect(second.refresh_token).toBeDefined();
    expect(second.refresh_token).not.toBe(first.refresh_token);

    const reuse = await postForm('/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token ?? '' });
    expect(reuse.status).toBe(400);
    expect(reuse.body.error).toBe('invalid_grant');

    // The reuse revoked the grant: the newest refresh token and its access token are dead too.
    const newest = await postForm('/token', { grant_type: 'refresh_token', refresh_token: second.refresh_token ?? '' });
    expect(newest.body.error).toBe('invalid_grant');
    const introspected = await postForm('/token/introspection', { token: second.access_token });
    expect(introspected.body.active).toBe(false);
  });

  test('introspection and revocation work for opaque tokens', async () => {
    const flow = await runFrontChannel(srv.issuer, app, { scope: 'openid offline_access', prompt: 'consent' });
    const tokens = await exchangeCode(app, flow);

    const active = await postForm('/token/introspection', { token: tokens.access_token });
    expect(active.body).toMatchObject({ active: true, client_id: 'app', sub: tokens.claims()?.sub });

    const revoke = await fetch(`${srv.issuer}/token/revocation`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.refresh_token ?? '', token_type_hint: 'refresh_token' }),
    });
    expect(revoke.status).toBe(200);
    const refresh = await postForm('/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token ?? '' });
    expect(refresh.body.error).toBe('invalid_grant');

    await fetch(`${srv.issuer}/token/revocation`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.access_token }),
    });
    const revoked = await postForm('/token/introspection', { token: tokens.access_token });
    expect(revoked.body.active).toBe(false);
    const me = await fetch(`${srv.issuer}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(me.status).toBe(401);
  });

  test('a public client (no secret) completes the flow with PKCE', async () => {
    const spa = await discoverApp(srv.issuer, 'spa', null);
    const flow = await runFrontChannel(srv.issuer, spa, { redirect_uri: 'https://spa.example/callback' });
    const tokens = await exchangeCode(spa, flow);
    expect(tokens.claims()).toMatchObject({ aud: 'spa', iss: srv.issuer });
  });
});
