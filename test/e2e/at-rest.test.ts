/**
 * A database dump yields no usable credential: after a full flow and a refresh, no collection holds the
 * raw authorization code, access token, refresh tokens, session id or client secret.
 */
import * as oidc from 'openid-client';
import { mongoTestStore } from '../helpers/backends.ts';
import { discoverApp, exchangeCode, runFrontChannel } from '../helpers/flow.ts';
import { CLIENT_SECRET, startTestServer, USER } from '../helpers/server.ts';
import type { MongoStore } from '../../src/store/mongo/index.ts';

async function dump(store: MongoStore): Promise<string> {
  const parts: string[] = [];
  for (const { name } of await store.db.listCollections().toArray()) {
    parts.push(JSON.stringify(await store.db.collection(name).find({}).toArray()));
  }
  return parts.join('\n');
}

test('no raw code, token, session id, password or client secret is stored', async () => {
  const store = await mongoTestStore();
  const srv = await startTestServer({ store });
  try {
    const app = await discoverApp(srv.issuer);
    const flow = await runFrontChannel(srv.issuer, app, { scope: 'openid offline_access', prompt: 'consent' });
    const code = flow.callback.searchParams.get('code') ?? '';
    const first = await exchangeCode(app, flow);
    const second = await oidc.refreshTokenGrant(app, first.refresh_token ?? '');
    const cookies = await flow.browser.jar.getCookies(srv.issuer);
    const sessionId = cookies.find((c) => c.key === '_session')?.value ?? '';

    const secrets = {
      code,
      accessToken: first.access_token,
      refreshToken: first.refresh_token ?? '',
      rotatedRefreshToken: second.refresh_token ?? '',
      newAccessToken: second.access_token,
      sessionId,
      clientSecret: CLIENT_SECRET,
      password: USER.password,
    };
    for (const value of Object.values(secrets)) expect(value.length).toBeGreaterThan(10);
    const text = await dump(store);
    expect(text.length).toBeGreaterThan(1000);
    for (const [name, value] of Object.entries(secrets)) {
      expect({ name, found: text.includes(value) }).toEqual({ name, found: false });
    }
  } finally {
    await srv.close();
  }
});
