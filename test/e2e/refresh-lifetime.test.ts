/**
 * Refresh token lifetimes through the token endpoint on both stores, with Date moved by hand: the
 * absolute lifetime (REFRESH_TOKEN_TTL) holds across any number of rotations, the idle expiry
 * (REFRESH_TOKEN_IDLE_TTL) ends a family nobody uses, and a client with `refresh_token_rotation: false`
 * keeps one refresh token under the same two limits.
 */
import { BACKENDS } from '../helpers/backends.ts';
import { bootstrapWith, confidentialClient, fakeDateOnly, field, offlineTokens, postForm, refresh } from '../helpers/refresh.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const clock = fakeDateOnly();
afterAll(() => clock.restore());

const ABSOLUTE = 3600;
const IDLE = 600;

describe.each(BACKENDS)('%s store', (_backend, makeStore) => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({
      store: await makeStore(),
      env: { REFRESH_TOKEN_TTL: String(ABSOLUTE), REFRESH_TOKEN_IDLE_TTL: String(IDLE), ACCESS_TOKEN_TTL: '300' },
      bootstrap: bootstrapWith(confidentialClient('keeper', { refresh_token_rotation: false })),
    });
  });
  afterAll(() => srv.close());

  const expiryOf = async (clientId: string, token: string) =>
    (await postForm(srv.issuer, '/token/introspection', clientId, { token, token_type_hint: 'refresh_token' })).body;

  test('each refresh token lives min(remaining absolute lifetime, idle TTL)', async () => {
    const first = await offlineTokens(srv.issuer);
    const issued = await expiryOf('app', first.refresh_token ?? '');
    expect(issued).toMatchObject({ active: true, client_id: 'app' });
    expect(Number(issued.exp) - Number(issued.iat)).toBe(IDLE);
  });

  test('the absolute lifetime holds across rotations: no infinite sliding', async () => {
    const first = await offlineTokens(srv.issuer);
    const started = Number((await expiryOf('app', first.refresh_token ?? '')).iat);
    let token = first.refresh_token ?? '';
    let elapsed = 0;
    while (elapsed + IDLE - 100 < ABSOLUTE) {
      clock.advance(IDLE - 100); // always within the idle window
      elapsed += IDLE - 100;
      const next = await refresh(srv.issuer, 'app', token);
      expect(next.status).toBe(200);
      token = field(next, 'refresh_token');
    }
    // The last rotation's token ends with the family, not IDLE seconds later.
    expect(Number((await expiryOf('app', token)).exp)).toBe(started + ABSOLUTE);

    clock.advance(IDLE - 100); // still within the idle window, but past the absolute lifetime
    expect(await refresh(srv.issuer, 'app', token)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  test('the idle expiry ends an unused family, and each refresh restarts it', async () => {
    const first = await offlineTokens(srv.issuer);
    clock.advance(IDLE - 10);
    const second = await refresh(srv.issuer, 'app', first.refresh_token ?? '');
    expect(second.status).toBe(200);
    clock.advance(IDLE - 10); // past the first token's idle expiry, within the second's
    const third = await refresh(srv.issuer, 'app', field(second, 'refresh_token'));
    expect(third.status).toBe(200);

    clock.advance(IDLE + 1);
    expect(await refresh(srv.issuer, 'app', field(third, 'refresh_token'))).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  test('refresh_token_rotation false keeps the same refresh token, with its idle expiry pushed on each use', async () => {
    const first = await offlineTokens(srv.issuer, 'keeper');
    const token = first.refresh_token ?? '';
    for (let i = 0; i < 3; i += 1) {
      clock.advance(IDLE - 10);
      const next = await refresh(srv.issuer, 'keeper', token);
      expect(next.status).toBe(200);
      expect(next.body.refresh_token).toBe(token);
      expect(next.body.access_token).not.toBe(first.access_token);
    }
    // Not rotated, so presenting it again is no reuse: the grant is intact.
    expect((await refresh(srv.issuer, 'keeper', token)).status).toBe(200);

    clock.advance(IDLE + 1);
    expect(await refresh(srv.issuer, 'keeper', token)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  test('refresh_token_rotation false still ends with the absolute lifetime', async () => {
    const first = await offlineTokens(srv.issuer, 'keeper');
    const token = first.refresh_token ?? '';
    let elapsed = 0;
    while (elapsed + IDLE - 100 < ABSOLUTE) {
      clock.advance(IDLE - 100);
      elapsed += IDLE - 100;
      expect((await refresh(srv.issuer, 'keeper', token)).status).toBe(200);
    }
    clock.advance(IDLE - 100);
    expect(await refresh(srv.issuer, 'keeper', token)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });
});
