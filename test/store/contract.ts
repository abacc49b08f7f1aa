/**
 * The store contract, written once against the ports and run on every backend (memory.test.ts now;
 * the MongoDB runner joins it). A backend-only case lives in that backend's runner.
 */
import { randomUUID } from 'node:crypto';
import { PlainClientSecretError, type Store } from '../../src/store/index.ts';

export interface ContractContext {
  /** A fresh, empty store; `advance` moves its clock (a backend that uses real time may return undefined). */
  create(): Promise<{ store: Store; advance?: (ms: number) => void }>;
}

const id = () => randomUUID();

export function storeContract(name: string, ctx: ContractContext): void {
  describe(`${name} store contract`, () => {
    let store: Store;
    let advance: ((ms: number) => void) | undefined;

    beforeEach(async () => {
      ({ store, advance } = await ctx.create());
    });
    afterEach(() => store.close());

    test('upsert then find returns the payload; destroy forgets it', async () => {
      const m = store.models.model('Grant');
      const key = id();
      await m.upsert(key, { accountId: 'a', clientId: 'c', jti: key }, 60);
      expect(await m.find(key)).toEqual({ accountId: 'a', clientId: 'c', jti: key });
      await m.upsert(key, { accountId: 'a', clientId: 'c', jti: key, extra: 1 }, 60);
      expect((await m.find(key))?.extra).toBe(1);
      await m.destroy(key);
      expect(await m.find(key)).toBeUndefined();
    });

    test('models are separate namespaces', async () => {
      const key = id();
      await store.models.model('AccessToken').upsert(key, { jti: key }, 60);
      expect(await store.models.model('RefreshToken').find(key)).toBeUndefined();
    });

    test('a record outlives its expiry by the clock tolerance, then is gone', async () => {
      if (!advance) return; // backends on real time rely on the TTL index (tests never wait for TTL)
      const m = store.models.model('AccessToken');
      const key = id();
      await m.upsert(key, { jti: key }, 10);
      advance(10_000 + 14_000);
      expect(await m.find(key)).toBeDefined();
      advance(2_000);
      expect(await m.find(key)).toBeUndefined();
    });

    test('consume succeeds for exactly one of 20 concurrent callers', async () => {
      const m = store.models.model('AuthorizationCode');
      const key = id();
      await m.upsert(key, { jti: key, grantId: 'g' }, 60);
      const results = await Promise.all(Array.from({ length: 20 }, () => m.consume(key)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await m.find(key))?.consumed).toEqual(expect.any(Number));
      expect(await m.consume(key)).toBe(false);
    });

    test('insert succeeds for exactly one of 20 concurrent callers (replay detection)', async () => {
      const m = store.models.model('ReplayDetection');
      const key = id();
      const results = await Promise.all(Array.from({ length: 20 }, () => m.insert(key, { iss: 'c' }, 60)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await m.insert(key, { iss: 'c' }, 60)).toBe(false);
      expect((await m.find(key))?.iss).toBe('c');
    });

    test('consume of an unknown id fails', async () => {
      expect(await store.models.model('RefreshToken').consume(id())).toBe(false);
    });

    test('revokeByGrantId removes every record of that grant in that model, and no other', async () => {
      const at = store.models.model('AccessToken');
      const rt = store.models.model('RefreshToken');
      const [a1, a2, r1, other] = [id(), id(), id(), id()];
      await at.upsert(a1, { jti: a1, grantId: 'g1' }, 60);
      await at.upsert(a2, { jti: a2, grantId: 'g1' }, 60);
      await rt.upsert(r1, { jti: r1, grantId: 'g1' }, 60);
      await at.upsert(other, { jti: other, grantId: 'g2' }, 60);
      await at.revokeByGrantId('g1');
      await rt.revokeByGrantId('g1');
      expect(await at.find(a1)).toBeUndefined();
      expect(await at.find(a2)).toBeUndefined();
      expect(await rt.find(r1)).toBeUndefined();
      expect(await at.find(other)).toBeDefined();
    });

    test('findByUid finds a session; findByUserCode finds a device code', async () => {
      const sid = id();
      await store.models.model('Session').upsert(sid, { uid: 'uid-1', accountId: 'a' }, 60);
      expect((await store.models.model('Session').findByUid('uid-1'))?.accountId).toBe('a');
      expect(await store.models.model('Session').findByUid('nope')).toBeUndefined();
      const dc = id();
      await store.models.model('DeviceCode').upsert(dc, { jti: dc, userCode: 'ABCD-EFGH', clientId: 'tv' }, 60);
      // Found by user code, a record may come back without its jti (MongoDB keeps only the id's digest).
      expect((await store.models.model('DeviceCode').findByUserCode('ABCD-EFGH'))?.clientId).toBe('tv');
    });

    test('destroyByUid ends a session; findByAccountId lists an account\'s grants with their ids', async () => {
      const sessions = store.models.model('Session');
      const sid = id();
      await sessions.upsert(sid, { jti: sid, uid: 'uid-2', accountId: 'acct' }, 60);
      await sessions.destroyByUid('uid-2');
      expect(await sessions.find(sid)).toBeUndefined();

      const grants = store.models.model('Grant');
      const [g1, g2, g3] = [id(), id(), id()];
      await grants.upsert(g1, { jti: g1, accountId: 'acct', clientId: 'a' }, 60);
      await grants.upsert(g2, { jti: g2, accountId: 'acct', clientId: 'b' }, 60);
      await grants.upsert(g3, { jti: g3, accountId: 'other', clientId: 'a' }, 60);
      const found = await grants.findByAccountId('acct');
      expect(found.map((g) => g.jti).sort()).toEqual([g1, g2].sort());
    });

    test('device sessions: record, refresh, list newest first, remove, expire', async () => {
      const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
      const entry = { accountId: 'acct', userAgent: 'UA', ip: '127.0.0.1', signedInAt: at(0) };
      await store.deviceSessions.record({ ...entry, uid: 's1', lastActiveAt: at(1) }, 60);
      await store.deviceSessions.record({ ...entry, uid: 's2', lastActiveAt: at(2) }, 60);
      await store.deviceSessions.record({ ...entry, uid: 's1', lastActiveAt: at(3) }, 60);
      await store.deviceSessions.record({ ...entry, uid: 'x', accountId: 'other', lastActiveAt: at(3) }, 60);
      const listed = await store.deviceSessions.listByAccount('acct');
      expect(listed.map((d) => d.uid)).toEqual(['s1', 's2']);
      expect(listed[0]?.lastActiveAt).toEqual(at(3));
      await store.deviceSessions.remove('s1');
      expect((await store.deviceSessions.listByAccount('acct')).map((d) => d.uid)).toEqual(['s2']);
      if (advance) {
        advance(61_000);
        expect(await store.deviceSessions.listByAccount('acct')).toEqual([]);
      }
    });

    test('accounts: unique by normalized email, upsert keeps the id', async () => {
      const a = await store.accounts.upsertByEmail({ email: 'ada@example.com', emailVerified: true, name: 'Ada', passwordHash: 'h1' });
      const b = await store.accounts.upsertByEmail({ email: 'ada@example.com', emailVerified: true, name: 'Ada L.', passwordHash: 'h2' });
      expect(b.id).toBe(a.id);
      expect(b.createdAt).toEqual(a.createdAt);
      expect((await store.accounts.findById(a.id))?.name).toBe('Ada L.');
      expect((await store.accounts.findByEmail('ada@example.com'))?.passwordHash).toBe('h2');
      expect(await store.accounts.findByEmail('nobody@example.com')).toBeUndefined();
      expect(await store.accounts.list()).toHaveLength(1);
    });

    test('accounts: disable by email', async () => {
      await store.accounts.upsertByEmail({ email: 'b@example.com', emailVerified: false, name: undefined, passwordHash: 'h' });
      expect(await store.accounts.setDisabled('b@example.com', true)).toBe(true);
      expect((await store.accounts.findByEmail('b@example.com'))?.disabled).toBe(true);
      expect(await store.accounts.setDisabled('nobody@example.com', true)).toBe(false);
    });

    test('clients: a plain client_secret is refused; only its digest is kept', async () => {
      await expect(store.clients.upsert({ client_id: 'c2', client_secret: 'plain-secret-value-0123456789abcdef' })).rejects.toThrow(PlainClientSecretError);
      await store.clients.upsert({ client_id: 'c2', client_secret_digest: 'ZGlnZXN0' });
      expect((await store.clients.find('c2'))?.client_secret_digest).toBe('ZGlnZXN0');
    });

    test('clients: upsert, find, list, remove', async () => {
      await store.clients.upsert({ client_id: 'c1', redirect_uris: ['https://a.example/cb'] });
      expect((await store.clients.find('c1'))?.redirect_uris).toEqual(['https://a.example/cb']);
      expect(await store.clients.list()).toHaveLength(1);
      expect(await store.clients.remove('c1')).toBe(true);
      expect(await store.clients.remove('c1')).toBe(false);
      expect(await store.clients.find('c1')).toBeUndefined();
    });

    test('resource servers: upsert, find, list', async () => {
      await store.resourceServers.upsert({ identifier: 'https://api.example', name: 'API', scopes: ['a', 'b'], accessTokenTTL: 60 });
      expect((await store.resourceServers.find('https://api.example'))?.scopes).toEqual(['a', 'b']);
      expect(await store.resourceServers.list()).toHaveLength(1);
    });

    test('ping answers', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
