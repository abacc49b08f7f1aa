/**
 * Single use under concurrency, through the token endpoint: 20 parallel redemptions of one authorization
 * code give exactly one token response; 20 parallel refreshes of one refresh token give at most one.
 */
import * as oidc from 'openid-client';
import { BACKENDS } from '../helpers/backends.ts';
import { APP_REDIRECT, discoverApp, exchangeCode, runFrontChannel } from '../helpers/flow.ts';
import { CLIENT_SECRET, startTestServer, type TestServer } from '../helpers/server.ts';

describe.each(BACKENDS)('%s store', (_backend, makeStore) => {
  let srv: TestServer;
  let app: oidc.Configuration;
  beforeAll(async () => {
    srv = await startTestServer({ store: await makeStore() });
    app = await discoverApp(srv.issuer);
  });
  afterAll(() => srv.close());

  const tokenRequest = (body: Record<string, string>) =>
    fetch(`${srv.issuer}/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`app:${CLIENT_SECRET}`).toString('base64')}` },
      body: new URLSearchParams(body),
    }).then((r) => r.status);

  test('20 parallel redemptions of one authorization code: exactly one succeeds', async () => {
    const flow = await runFrontChannel(srv.issuer, app);
    const body = {
      grant_type: 'authorization_code',
      code: flow.callback.searchParams.get('code') ?? '',
      redirect_uri: APP_REDIRECT,
      code_verifier: flow.request.verifier,
    };
    const statuses = await Promise.all(Array.from({ length: 20 }, () => tokenRequest(body)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 200).every((s) => s === 400)).toBe(true);
  });

  test('20 parallel refreshes of one refresh token: at most one succeeds', async () => {
    const flow = await runFrontChannel(srv.issuer, app, { scope: 'openid offline_access', prompt: 'consent' });
    const tokens = await exchangeCode(app, flow);
    const body = { grant_type: 'refresh_token', refresh_token: tokens.refresh_token ?? '' };
    const statuses = await Promise.all(Array.from({ length: 20 }, () => tokenRequest(body)));
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(1);
    expect(statuses.filter((s) => s !== 200).every((s) => s === 400)).toBe(true);
  });
});
