/** /jwks: the published public keys with caching headers a verifier can rely on. */
import { startTestServer, TEST_KEYS } from '../helpers/server.ts';

test('Cache-Control is the pre-publish window; the ETag answers 304; no private member is published', async () => {
  const srv = await startTestServer({ env: { KEYS_PREPUBLISH_SECONDS: '600' } });
  try {
    const res = await fetch(`${srv.issuer}/jwks`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=600');
    expect(res.headers.get('content-type')).toContain('application/jwk-set+json');
    const etag = res.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    const body = (await res.json()) as { keys: Array<Record<string, unknown>> };
    expect(body.keys.map((k) => k.kid)).toEqual(TEST_KEYS.map((k) => k.kid));
    for (const key of body.keys) for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(member);

    const again = await fetch(`${srv.issuer}/jwks`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const other = await fetch(`${srv.issuer}/jwks`, { headers: { 'if-none-match': '"something-else"' } });
    expect(other.status).toBe(200);
    expect(srv.app.provider.issuer).toBe(srv.issuer);
  } finally {
    await srv.close();
  }
});
