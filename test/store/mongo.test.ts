import { MongoClient } from 'mongodb';
import { accountKey, createLoginThrottle } from '../../src/accounts/index.ts';
import { createMongoStore, digestId, ensureIndexes, indexPlan, modelCollection } from '../../src/store/mongo/index.ts';
import { mongoTestStore, testDatabaseName, testMongoUri } from '../helpers/backends.ts';
import { storeContract, type ContractContext } from './contract.ts';
import { securityEventsContract } from './events-contract.ts';
import { rateLimitContract } from './rate-limit-contract.ts';
import { throttleContract } from './throttle-contract.ts';

const mongodb: ContractContext = {
  async create() {
    let now = Date.now();
    const store = await mongoTestStore(() => now);
    return { store, advance: (ms: number) => (now += ms) };
  },
};

storeContract('mongodb', mongodb);
throttleContract('mongodb', mongodb);
rateLimitContract('mongodb', mongodb);
securityEventsContract('mongodb', mongodb);

describe('mongodb backend', () => {
  test('ids are stored only as SHA-256 digests; jti is restored on find', async () => {
    const store = await mongoTestStore();
    try {
      const token = 'raw-refresh-token-value-0123456789';
      await store.models.model('RefreshToken').upsert(token, { jti: token, grantId: 'g', kind: 'RefreshToken' }, 60);
      const docs = await store.db.collection(modelCollection('RefreshToken')).find({}).toArray();
      expect(docs).toHaveLength(1);
      expect(docs[0]?._id).toBe(digestId(token));
      expect(JSON.stringify(docs)).not.toContain(token);
      expect((await store.models.model('RefreshToken').find(token))?.jti).toBe(token);
    } finally {
      await store.close();
    }
  });

  test('an interaction never stores the session id it copies', async () => {
    const store = await mongoTestStore();
    try {
      await store.models.model('Interaction').upsert('uid-1', { jti: 'uid-1', session: { accountId: 'a', uid: 'u', cookie: 'raw-session-id' } }, 60);
      const docs = await store.db.collection(modelCollection('Interaction')).find({}).toArray();
      expect(JSON.stringify(docs)).not.toContain('raw-session-id');
      expect((await store.models.model('Interaction').find('uid-1'))?.session).toEqual({ accountId: 'a', uid: 'u' });
    } finally {
      await store.close();
    }
  });

  test('login attempts keep the email only as its digest, with lookup and TTL indexes', async () => {
    const store = await mongoTestStore();
    try {
      const throttle = createLoginThrottle({ attempts: store.loginAttempts, clock: Date.now, policy: { freeFailures: 5, backoffBaseSeconds: 1, backoffMaxSeconds: 1, maxFailuresPerAccount: 100, maxFailuresPerAddress: 1000 } });
      await throttle.admit('Ada@Example.com', '192.0.2.1');
      const docs = await store.db.collection('login_attempts').find({}).toArray();
      expect(docs.map((d) => d.key).sort()).toEqual([accountKey('ada@example.com'), 'ip:192.0.2.1']);
      expect(JSON.stringify(docs).toLowerCase()).not.toContain('ada@example.com');
      const names = (await store.db.collection('login_attempts').listIndexes().toArray()).map((i) => i.name);
      expect(names).toEqual(expect.arrayContaining(['key_at', 'attempt', 'expiresAt_ttl']));
    } finally {
      await store.close();
    }
  });

  test('rate limit slots: one document per claim, with lookup and TTL indexes', async () => {
    const store = await mongoTestStore();
    try {
      const at = new Date();
      expect(await store.rateLimits.claim({ key: 'token:ip:192.0.2.1@600', slot: 42, at, expiresAt: new Date(at.getTime() + 60_000) })).toBe(true);
      const docs = await store.db.collection('rate_limit_slots').find({}).toArray();
      expect(docs).toEqual([expect.objectContaining({ _id: 'token:ip:192.0.2.1@600#42', key: 'token:ip:192.0.2.1@600', slot: 42 })]);
      const names = (await store.db.collection('rate_limit_slots').listIndexes().toArray()).map((i) => i.name);
      expect(names).toEqual(expect.arrayContaining(['key_slot', 'expiresAt_ttl']));
    } finally {
      await store.close();
    }
  });

  test('security events: TTL, account, client and time indexes', async () => {
    const store = await mongoTestStore();
    try {
      const names = (await store.db.collection('security_events').listIndexes().toArray()).map((i) => i.name);
      expect(names).toEqual(expect.arrayContaining(['expiresAt_ttl', 'accountId_time', 'clientId_time', 'time']));
    } finally {
      await store.close();
    }
  });

  test('indexes: TTL on expiresAt (or a warning where refused), grantId, unique session uid, unique email', async () => {
    const client = new MongoClient(testMongoUri());
    await client.connect();
    const db = client.db(testDatabaseName());
    try {
      const warnings: string[] = [];
      const result = await ensureIndexes(db, (m) => warnings.push(m));
      expect(result.created).toBe(indexPlan().length);
      expect(warnings.length).toBeLessThanOrEqual(1);
      if (result.degraded.length > 0) expect(warnings[0]).toMatch(/refused index option/);
      // Idempotent: migrating again is fine.
      await ensureIndexes(db, () => {});
      const names = (await db.collection(modelCollection('AccessToken')).listIndexes().toArray()).map((i) => i.name);
      expect(names).toEqual(expect.arrayContaining(['expiresAt_ttl', 'grantId']));
      const session = await db.collection(modelCollection('Session')).listIndexes().toArray();
      expect(session.find((i) => i.name === 'uid_unique')?.unique).toBe(true);
      const store = createMongoStore(client, Date.now, db.databaseName);
      await store.accounts.upsertByEmail({ email: 'a@example.com', emailVerified: true, name: undefined, passwordHash: 'h' });
      await expect(db.collection('accounts').insertOne({ _id: 'x' as never, email: 'a@example.com' })).rejects.toThrow(/duplicate key/i);
    } finally {
      await db.dropDatabase();
      await client.close();
    }
  });
});
