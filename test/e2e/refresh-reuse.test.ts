/**
 * Refresh token reuse detection and its grace window, through the token endpoint on both stores.
 * Strict by default: presenting a rotated token revokes the grant with every token issued from it.
 * A client with `refresh_token_reuse_grace_seconds` (or a deployment with
 * REFRESH_TOKEN_REUSE_GRACE_SECONDS) gets a valid pair for a just-rotated token within the window —
 * two tabs, a retry after a lost response — and the same revocation after it.
 */
import { BACKENDS } from '../helpers/backends.ts';
import { bootstrapWith, confidentialClient, fakeDateOnly, field, offlineTokens, postForm, refresh } from '../helpers/refresh.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const clock = fakeDateOnly();
afterAll(() => clock.restore());

const GRACE = 30;

describe.each(BACKENDS)('%s store', (_backend, makeStore) => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({
      store: await makeStore(),
      bootstrap: bootstrapWith(confidentialClient('graceful', { refresh_token_reuse_grace_seconds: GRACE })),
    });
  });
  afterAll(() => srv.close());

  const introspect = (token: string) => postForm(srv.issuer, '/token/introspection', 'app', { token });

  test('strict by default: reusing a rotated refresh token revokes the grant at once', async () => {
    const first = await offlineTokens(srv.issuer, 'app');
    const second = await refresh(srv.issuer, 'app', first.refresh_token ?? '');
    expect(second.status).toBe(200);

    const reuse = await refresh(srv.issuer, 'app', first.refresh_token ?? '');
    expect(reuse).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    // Every refresh and opaque access token issued from the grant is dead.
    expect((await refresh(srv.issuer, 'app', field(second, 'refresh_token'))).body.error).toBe('invalid_grant');
    expect((await introspect(field(second, 'access_token'))).body.active).toBe(false);
    expect((await introspect(first.access_token)).body.active).toBe(false);
  });

  test('within the grace window, two concurrent refreshes of one token both succeed and the grant survives', async () => {
    const first = await offlineTokens(srv.issuer, 'graceful');
    const [a, b] = await Promise.all([
      refresh(srv.issuer, 'graceful', first.refresh_token ?? ''),
      refresh(srv.issuer, 'graceful', first.refresh_token ?? ''),
    ]);
    expect(a?.status).toBe(200);
    expect(b?.status).toBe(200);
    const [ra, rb] = [field(a!, 'refresh_token'), field(b!, 'refresh_token')];
    expect(ra).not.toBe(first.refresh_token);
    expect(rb).not.toBe(first.refresh_token);
    expect(ra).not.toBe(rb);

    // Both successors are valid (the documented trade-off); the family goes on.
    const later = await refresh(srv.issuer, 'graceful', ra);
    expect(later.status).toBe(200);
    expect((await refresh(srv.issuer, 'graceful', rb)).status).toBe(200);
    expect((await introspect(field(later, 'access_token'))).body.active).toBe(true);
  });

  test('within the grace window, ten parallel refreshes of one token all succeed', async () => {
    const first = await offlineTokens(srv.issuer, 'graceful');
    const answers = await Promise.all(Array.from({ length: 10 }, () => refresh(srv.issuer, 'graceful', first.refresh_token ?? '')));
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 10 }, () => 200));
    expect(new Set(answers.map((a) => field(a, 'refresh_token'))).size).toBe(10);
  });

  test('a retry within the window gets a pair; reuse after the window revokes the family', async () => {
    const first = await offlineTokens(srv.issuer, 'graceful');
    const second = await refresh(srv.issuer, 'graceful', first.refresh_token ?? '');
    expect(second.status).toBe(200);

    clock.advance(GRACE - 5);
    const retry = await refresh(srv.issuer, 'graceful', first.refresh_token ?? '');
    expect(retry.status).toBe(200);
    const newest = await refresh(srv.issuer, 'graceful', field(retry, 'refresh_token'));
    expect(newest.status).toBe(200);

    clock.advance(10); // GRACE + 5 seconds after `first` was consumed
    const late = await refresh(srv.issuer, 'graceful', first.refresh_token ?? '');
    expect(late).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    // The revocation took every token of the grant, the newest ones too.
    expect((await refresh(srv.issuer, 'graceful', field(newest, 'refresh_token'))).body.error).toBe('invalid_grant');
    expect((await refresh(srv.issuer, 'graceful', field(second, 'refresh_token'))).body.error).toBe('invalid_grant');
    expect((await introspect(field(newest, 'access_token'))).body.active).toBe(false);
  });

  test('the grace window never lets a token be refreshed by another client', async () => {
    const first = await offlineTokens(srv.issuer, 'graceful');
    expect((await refresh(srv.issuer, 'graceful', first.refresh_token ?? '')).status).toBe(200);
    const other = await refresh(srv.issuer, 'app', first.refresh_token ?? '');
    expect(other).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });
});

describe.each(BACKENDS)('%s store, deployment-wide grace', (_backend, makeStore) => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({
      store: await makeStore(),
      env: { REFRESH_TOKEN_REUSE_GRACE_SECONDS: '10' },
      bootstrap: bootstrapWith(confidentialClient('strict', { refresh_token_reuse_grace_seconds: 0 })),
    });
  });
  afterAll(() => srv.close());

  test('REFRESH_TOKEN_REUSE_GRACE_SECONDS applies to a client that names no grace of its own', async () => {
    const first = await offlineTokens(srv.issuer, 'app');
    expect((await refresh(srv.issuer, 'app', first.refresh_token ?? '')).status).toBe(200);
    clock.advance(5);
    expect((await refresh(srv.issuer, 'app', first.refresh_token ?? '')).status).toBe(200);
    clock.advance(10);
    expect((await refresh(srv.issuer, 'app', first.refresh_token ?? '')).body.error).toBe('invalid_grant');
  });

  test('a client with refresh_token_reuse_grace_seconds 0 stays strict', async () => {
    const first = await offlineTokens(srv.issuer, 'strict');
    const second = await refresh(srv.issuer, 'strict', first.refresh_token ?? '');
    expect(second.status).toBe(200);
    expect((await refresh(srv.issuer, 'strict', first.refresh_token ?? '')).body.error).toBe('invalid_grant');
    expect((await refresh(srv.issuer, 'strict', field(second, 'refresh_token'))).body.error).toBe('invalid_grant');
  });
});
