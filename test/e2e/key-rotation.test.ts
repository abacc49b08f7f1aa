/**
 * Signing-key rotation end to end: while the example resource API verifies a steady stream of freshly
 * issued access tokens, two full rotations run — new keys published, then signing, the old ones
 * retired. Zero verification failures; a token signed by the previous key keeps verifying until it
 * expires; after retirement the old keys are gone from /jwks. The running server picks up every step
 * by itself (no restart).
 */
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { createResourceApi } from '../../examples/resource-api/api.ts';
import { generateKeyFiles, rotateKeys, rotationTimes, RotationInProgress, startKeyRing } from '../../src/signing/index.ts';
import { API, CLIENT_SECRET, startTestServer, TEST_BOOTSTRAP, type TestServer } from '../helpers/server.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TOKEN_TTL = 5;

let srv: TestServer;
let apiUrl: string;
let closeApi: () => Promise<void>;
let keysDir: string;

beforeAll(async () => {
  keysDir = join(mkdtempSync(join(tmpdir(), 'pc-rotation-')), 'keys');
  await generateKeyFiles(keysDir);
  const keyRing = await startKeyRing({ dir: keysDir, pollMs: 200, onError: (err) => console.error(err) });
  srv = await startTestServer({
    env: { ACCESS_TOKEN_TTL: String(TOKEN_TTL), ID_TOKEN_TTL: String(TOKEN_TTL), KEYS_PREPUBLISH_SECONDS: '1', KEYS_DIR: keysDir },
    deps: { keys: keyRing.keys, keyRing },
    bootstrap: { ...TEST_BOOTSTRAP, resourceServers: [{ identifier: API, name: 'Example API', scopes: ['api:read'], accessTokenTTL: TOKEN_TTL }] },
  });
  // The example API trusts fetched keys for 0.7 s: at most the pre-publish window less the server's
  // KEYS_DIR poll interval, as its README says.
  const api = createResourceApi({ issuer: srv.issuer, audience: API, requiredScope: 'api:read', cacheMaxAgeMs: 700, cooldownMs: 200 });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}/`;
  closeApi = () => new Promise<void>((resolve) => api.close(() => resolve()));
});
afterAll(async () => {
  await closeApi?.();
  await srv?.close();
});

async function issueToken(): Promise<string> {
  const res = await fetch(`${srv.issuer}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`app:${CLIENT_SECRET}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'api:read', resource: API }),
  });
  if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

const callApi = async (token: string) => (await fetch(apiUrl, { headers: { authorization: `Bearer ${token}` } })).status;
const publishedKids = async () => ((await (await fetch(`${srv.issuer}/jwks`)).json()) as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid);

/** Waits until the running server publishes every one of `kids` (it re-reads KEYS_DIR every 200 ms). */
async function untilPublished(kids: readonly string[]): Promise<string[]> {
  for (let i = 0; i < 50; i += 1) {
    const published = await publishedKids();
    if (kids.every((k) => published.includes(k))) return published;
    await sleep(50);
  }
  throw new Error(`keys ${kids.join(', ')} were never published`);
}

async function rotate(): Promise<string[]> {
  const times = rotationTimes(srv.config, [TOKEN_TTL]);
  for (;;) {
    try {
      return (await rotateKeys(keysDir, times)).added.map((k) => k.kid);
    } catch (err) {
      if (!(err instanceof RotationInProgress)) throw err;
      await sleep(100); // the previous rotation's key is still waiting to sign
    }
  }
}

test('two full rotations under a steady stream of tokens: zero verification failures', async () => {
  const failures: string[] = [];
  const signers = new Set<string>();
  let stop = false;
  const stream = (async () => {
    let verified = 0;
    while (!stop) {
      const token = await issueToken().catch((err: Error) => {
        failures.push(`token request failed: ${err.message}`);
        return undefined;
      });
      if (!token) break;
      signers.add(String(decodeProtectedHeader(token).kid));
      const status = await callApi(token);
      if (status !== 200) failures.push(`${status} for a token signed by ${decodeProtectedHeader(token).kid}`);
      else verified += 1;
      await sleep(25);
    }
    return verified;
  })();

  try {
    const first = await issueToken();
    const firstKid = String(decodeProtectedHeader(first).kid);
    const firstExpiresAt = Number(decodeJwt(first).exp) * 1000;
    const originalKids = await publishedKids();

    await sleep(500);
    const second = await rotate();
    expect(await untilPublished(second)).toEqual(expect.arrayContaining(originalKids));
    const third = await rotate(); // waits until the second set signs
    await untilPublished(third);

    // The token signed before the rotations keeps verifying until it expires.
    while (Date.now() < firstExpiresAt - 500) {
      expect(await callApi(first)).toBe(200);
      await sleep(250);
    }
    await sleep(1500);
    expect(await callApi(first)).toBe(401);

    // Wait for both replaced key sets to retire (token lifetime + clock tolerance after their successor signs).
    const deadline = Date.now() + 45_000;
    while (Date.now() < deadline) {
      const kids = await publishedKids();
      if (!kids.some((k) => originalKids.includes(k) || second.includes(k))) break;
      await sleep(250);
    }
    stop = true;
    const verified = await stream;

    const finalKids = await publishedKids();
    expect(finalKids).not.toContain(firstKid);
    for (const kid of [...originalKids, ...second]) expect(finalKids).not.toContain(kid);
    expect(finalKids).toEqual(expect.arrayContaining(third));
    expect(failures).toEqual([]);
    expect(verified).toBeGreaterThan(20);
    // The stream really saw all three ES256 keys sign.
    expect(signers.size).toBe(3);

    // Each step is in the security log: the ES256 key of the second set was published, activated, retired.
    await srv.app.events.flush();
    const steps = (await srv.store.securityEvents.query({ limit: 1000 })).filter((e) => second.includes(String(e.details.kid)));
    expect(new Set(steps.map((e) => e.event))).toEqual(new Set(['key.published', 'key.activated', 'key.retired']));
  } finally {
    stop = true;
    await stream;
  }
}, 90_000);

test('two instances sharing KEYS_DIR switch to the new key at the same moment', async () => {
  const keyRing = await startKeyRing({ dir: keysDir, pollMs: 200, onError: (err) => console.error(err) });
  const other = await startTestServer({
    env: { ACCESS_TOKEN_TTL: String(TOKEN_TTL), KEYS_PREPUBLISH_SECONDS: '1', KEYS_DIR: keysDir, ISSUER: srv.issuer },
    deps: { keys: keyRing.keys, keyRing },
    bootstrap: { ...TEST_BOOTSTRAP, resourceServers: [{ identifier: API, name: 'Example API', scopes: ['api:read'], accessTokenTTL: TOKEN_TTL }] },
  });
  try {
    const kidFrom = async (issuerUrl: string) => {
      const res = await fetch(`${issuerUrl}/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`app:${CLIENT_SECRET}`).toString('base64')}` },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'api:read', resource: API }),
      });
      return String(decodeProtectedHeader(((await res.json()) as { access_token: string }).access_token).kid);
    };
    // `other` listens on its own port but shares the issuer, as instances behind one load balancer do.
    expect(other.url).not.toBe(srv.url);
    const added = await rotate();
    await sleep(1500); // past the pre-publish window and a poll
    const a = await kidFrom(srv.url);
    const b = await kidFrom(other.url);
    expect(a).toBe(b);
    expect(added).toContain(a);
  } finally {
    await other.close();
  }
}, 30_000);
