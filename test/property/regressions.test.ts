/**
 * What the property suite (http-surface.test.ts) found, each pinned by the smallest request that showed
 * it, so it stays fixed whatever seed the suite runs with.
 */
import { Agent, request } from 'node:http';
import { CLIENT_SECRET, startTestServer, type TestServer } from '../helpers/server.ts';
import { mongoTestStore } from '../helpers/backends.ts';
import type { MongoStore } from '../../src/store/mongo/index.ts';

describe('answers the property suite once got wrong', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({ env: { RATE_LIMITS_ENABLED: 'false' } });
  });
  afterAll(() => srv.close());

  const FORM = 'application/x-www-form-urlencoded';

  test.each(['/auth/x?client_id=app', '/AUTH/x/?client_id=spa', '/auth/x?client_id=app&redirect_uri=https://app.example/cb'])(
    'the resume route with a client_id in the query (%s) is a 400 page, not a 500',
    async (path) => {
      const res = await fetch(`${srv.url}${path}`, { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    },
  );

  test.each([
    ['gzip', '/interaction/x/login'],
    ['deflate', '/interaction/x/consent'],
    ['br', '/account/password'],
  ])('a form body labelled Content-Encoding: %s that does not decompress (%s) is a 400', async (encoding, path) => {
    const res = await fetch(`${srv.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': FORM, 'content-encoding': encoding, accept: 'application/json' },
      body: 'csrf=x&email=a',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_request', error_description: expect.any(String) });
  });

  test.each(['/token', '/token/introspection', '/token/revocation', '/request', '/me'])(
    '%s answers an error as JSON to a client that prefers HTML (RFC 6749 §5.2)',
    async (path) => {
      const res = await fetch(`${srv.url}${path}`, { method: 'POST', headers: { 'content-type': FORM, accept: 'text/html' }, body: 'x=1' });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toMatchObject({ error: expect.any(String) });
    },
  );

  test('a token sent as grant_type does not reach the log of the refused token request', async () => {
    const misplaced = 'Zm9vYmFyLXRoaXMtbG9va3MtbGlrZS1hLXRva2VuLXZhbHVl';
    const res = await fetch(`${srv.url}/token`, {
      method: 'POST',
      headers: { 'content-type': FORM, authorization: `Basic ${Buffer.from(`app:${CLIENT_SECRET}`).toString('base64')}` },
      body: `grant_type=${misplaced}`,
    });
    expect(res.status).toBe(400);
    await srv.app.events.flush();
    const refused = srv.logs().filter((line) => line.event === 'token.refused');
    expect(refused.length).toBeGreaterThan(0);
    expect(srv.logs().filter((line) => JSON.stringify(line).includes(misplaced))).toEqual([]);
  });

  /** Sends `body` (chunked, or with its length), then a second request on the same kept-alive connection. */
  async function thenNextOnSameConnection(path: string, headers: Record<string, string>, body: Buffer, chunked: boolean) {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (method: string, target: string, h: Record<string, string>, b?: Buffer) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${srv.url}${target}`, { method, headers: h, agent, timeout: 3000 }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('timeout', () => req.destroy(new Error('no answer in 3 s')));
        req.on('error', reject);
        if (b && chunked) req.write(b.subarray(0, 1000));
        req.end(b && chunked ? b.subarray(1000) : b);
      });
    try {
      const first = await send('POST', path, chunked ? headers : { ...headers, 'content-length': String(body.length) }, body);
      return { first, next: await send('GET', '/healthz', {}) };
    } finally {
      agent.destroy();
    }
  }

  test.each([
    ['a gzip body that does not decompress', '/account/password', { 'content-encoding': 'gzip' }, false],
    ['a chunked body past the form limit', '/interaction/x/login', {}, true],
    ["a chunked body past oidc-provider's limit", '/token', {}, true],
  ])('after %s (%s), the next request on the connection is answered', async (_what, path, headers, chunked) => {
    const { first, next } = await thenNextOnSameConnection(path, { 'content-type': FORM, ...headers }, Buffer.alloc(1_000_000, 'a'), chunked);
    expect(first).toBeGreaterThanOrEqual(400);
    expect(first).toBeLessThan(500);
    expect(next).toBe(200);
  });

  test('a Basic client secret with an invalid percent-escape is a 4xx', async () => {
    const res = await fetch(`${srv.url}/token`, {
      method: 'POST',
      headers: { 'content-type': FORM, authorization: `Basic ${Buffer.from('app:%ff%fe').toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});

describe('the MongoDB model store under concurrent requests on one session (found on the mongodb run)', () => {
  let store: MongoStore;
  beforeAll(async () => {
    store = await mongoTestStore();
  });
  afterAll(() => store.close());

  test('a stale copy of a session whose id was rotated is dropped, not a duplicate-key error', async () => {
    // oidc-provider's resetIdentifier (sign-in, logout): the record moves to a new id, same uid. A request
    // that loaded it before then saves the old id again, and the unique uid index refuses that insert.
    const sessions = store.models.model('Session');
    const payload = { uid: 'session-uid-1', accountId: 'a1', exp: Math.floor(Date.now() / 1000) + 600 };
    await sessions.upsert('old-session-id', payload, 600);
    await sessions.destroy('old-session-id');
    await sessions.upsert('new-session-id', payload, 600);
    await expect(sessions.upsert('old-session-id', payload, 600)).resolves.toBeUndefined();
    expect(await sessions.find('old-session-id')).toBeUndefined();
    expect(await sessions.find('new-session-id')).toMatchObject({ uid: 'session-uid-1' });
  });
});
