/**
 * Sender-constrained refresh tokens (RFC 9449 DPoP) for a public client, on both stores: a token
 * obtained with a DPoP proof is bound to that key, so it is refused without a proof and with a proof
 * from another key, and works with the same key. A public client may keep one refresh token
 * (`refresh_token_rotation: false`) only when every token request must carry DPoP.
 */
import * as oidc from 'openid-client';
import { BACKENDS } from '../helpers/backends.ts';
import { discoverApp, runFrontChannel } from '../helpers/flow.ts';
import { bootstrapWith, postForm } from '../helpers/refresh.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const SPA_REDIRECT = 'https://spa.example/callback';

/** A public client that must use DPoP for every token request, and keeps its refresh token. */
const DPOP_KEEPER = {
  client_id: 'dpop-keeper',
  redirect_uris: [SPA_REDIRECT],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'none',
  scope: 'openid offline_access',
  dpop_bound_access_tokens: true,
  refresh_token_rotation: false,
};

describe.each(BACKENDS)('%s store', (_backend, makeStore) => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({ store: await makeStore(), bootstrap: bootstrapWith(DPOP_KEEPER) });
  });
  afterAll(() => srv.close());

  async function dpopTokens(clientId: string, dpop: oidc.DPoPHandle) {
    const client = await discoverApp(srv.issuer, clientId, null);
    const flow = await runFrontChannel(srv.issuer, client, { redirect_uri: SPA_REDIRECT, scope: 'openid offline_access', prompt: 'consent' });
    const tokens = await oidc.authorizationCodeGrant(
      client,
      flow.callback,
      { pkceCodeVerifier: flow.request.verifier, expectedState: flow.request.state, expectedNonce: flow.request.nonce },
      undefined,
      { DPoP: dpop },
    );
    return { client, tokens, refreshToken: tokens.refresh_token ?? '' };
  }

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (err: { error?: unknown }) => err.error,
    );

  test('a DPoP-bound refresh token is refused without a proof and with another key, and works with its own', async () => {
    const dpop = oidc.getDPoPHandle(await discoverApp(srv.issuer, 'spa', null), await oidc.randomDPoPKeyPair());
    const { client, tokens, refreshToken } = await dpopTokens('spa', dpop);
    expect(tokens.token_type.toLowerCase()).toBe('dpop');
    expect(refreshToken).not.toBe('');

    const bare = await postForm(srv.issuer, '/token', null, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'spa' });
    expect(bare).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    const otherKey = oidc.getDPoPHandle(client, await oidc.randomDPoPKeyPair());
    expect(await refusal(oidc.refreshTokenGrant(client, refreshToken, undefined, { DPoP: otherKey }))).toBe('invalid_grant');

    // Neither refusal consumed the token or touched the grant.
    const refreshed = await oidc.refreshTokenGrant(client, refreshToken, undefined, { DPoP: dpop });
    expect(refreshed.token_type.toLowerCase()).toBe('dpop');
    expect(refreshed.refresh_token).toBeDefined();
    expect(refreshed.refresh_token).not.toBe(refreshToken);

    // The successor is bound to the same key.
    expect(await refusal(oidc.refreshTokenGrant(client, refreshed.refresh_token ?? '', undefined, { DPoP: otherKey }))).toBe('invalid_grant');
    expect((await oidc.refreshTokenGrant(client, refreshed.refresh_token ?? '', undefined, { DPoP: dpop })).refresh_token).toBeDefined();
  });

  test('a public client with dpop_bound_access_tokens may keep its refresh token', async () => {
    const dpop = oidc.getDPoPHandle(await discoverApp(srv.issuer, 'dpop-keeper', null), await oidc.randomDPoPKeyPair());
    const { client, refreshToken } = await dpopTokens('dpop-keeper', dpop);
    const refreshed = await oidc.refreshTokenGrant(client, refreshToken, undefined, { DPoP: dpop });
    expect(refreshed.refresh_token).toBe(refreshToken);
    expect(refreshed.token_type.toLowerCase()).toBe('dpop');
    const otherKey = oidc.getDPoPHandle(client, await oidc.randomDPoPKeyPair());
    expect(await refusal(oidc.refreshTokenGrant(client, refreshToken, undefined, { DPoP: otherKey }))).toBe('invalid_grant');
  });

  test('discovery advertises DPoP', async () => {
    const meta = (await discoverApp(srv.issuer, 'spa', null)).serverMetadata();
    expect(meta.dpop_signing_alg_values_supported).toEqual(expect.arrayContaining(['ES256']));
  });
});
