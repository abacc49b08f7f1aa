/**
 * The security event port's contract, run on every backend (memory.test.ts, mongo.test.ts): append-only
 * records read back newest first, by account, by client, since a time, at most a limit, and never once
 * expired. Expiry is decided by the store's own clock, whatever time it starts at: an event that
 * expired in 1970 is gone on every clock, one that expires in 2999 is not.
 */
import { randomUUID } from 'node:crypto';
import type { SecurityEventRecord, SecurityEventStore, Store } from '../../src/store/index.ts';
import type { ContractContext } from './contract.ts';

const LIVE = new Date(Date.UTC(2999, 0, 1));
const EXPIRED = new Date(0);

export function securityEventsContract(name: string, ctx: ContractContext): void {
  describe(`${name} security events contract`, () => {
    let store: Store;
    let events: SecurityEventStore;
    const t0 = Date.now();
    let sequence = 0;

    beforeEach(async () => {
      ({ store } = await ctx.create());
      events = store.securityEvents;
    });
    afterEach(() => store.close());

    function record(seconds: number, fields: Partial<SecurityEventRecord> = {}): SecurityEventRecord {
      sequence += 1;
      return {
        id: `${String(t0 + seconds * 1000).padStart(13, '0')}-${String(sequence).padStart(6, '0')}-${randomUUID().slice(0, 8)}`,
        event: 'login.success',
        time: new Date(t0 + seconds * 1000),
        accountId: 'acct-1',
        clientId: 'app',
        details: { ip: '192.0.2.1', user_agent: 'Test/1.0', retry_after: 5 },
        expiresAt: LIVE,
        ...fields,
      };
    }

    test('an appended event reads back whole: fields, details, times', async () => {
      const one = record(0, { event: 'token.issued', details: { grant_type: 'refresh_token', count: 2, session_sha256: 'a'.repeat(64) } });
      await events.append(one);
      expect(await events.query({ limit: 10 })).toEqual([one]);
    });

    test('newest first by time, then by id; at most `limit`', async () => {
      const [a, b, c, d] = [record(0), record(10), record(10), record(20)];
      for (const r of [c, a, d, b]) await events.append(r as SecurityEventRecord);
      expect((await events.query({ limit: 10 })).map((r) => r.id)).toEqual([d, c, b, a].map((r) => r?.id));
      expect((await events.query({ limit: 2 })).map((r) => r.id)).toEqual([d, c].map((r) => r?.id));
      expect(await events.query({ limit: 0 })).toEqual([]);
    });

    test('filters by account, by client, both, and since (inclusive)', async () => {
      const mine = record(0, { accountId: 'acct-1', clientId: 'app' });
      const otherClient = record(10, { accountId: 'acct-1', clientId: 'spa' });
      const otherAccount = record(20, { accountId: 'acct-2', clientId: 'app' });
      const noAccount = record(30, { event: 'login.failure', accountId: undefined, clientId: 'app' });
      const noClient = record(40, { event: 'user.added', accountId: 'acct-1', clientId: undefined });
      for (const r of [mine, otherClient, otherAccount, noAccount, noClient]) await events.append(r);
      const ids = async (q: Parameters<SecurityEventStore['query']>[0]) => (await events.query(q)).map((r) => r.id);

      expect(await ids({ accountId: 'acct-1', limit: 10 })).toEqual([noClient.id, otherClient.id, mine.id]);
      expect(await ids({ clientId: 'app', limit: 10 })).toEqual([noAccount.id, otherAccount.id, mine.id]);
      expect(await ids({ accountId: 'acct-1', clientId: 'app', limit: 10 })).toEqual([mine.id]);
      expect(await ids({ since: otherAccount.time, limit: 10 })).toEqual([noClient.id, noAccount.id, otherAccount.id]);
      expect(await ids({ accountId: 'acct-1', since: new Date(t0 + 5000), limit: 10 })).toEqual([noClient.id, otherClient.id]);
      expect(await ids({ accountId: 'nobody', limit: 10 })).toEqual([]);
      // A missing account or client reads back as undefined (absent, not null).
      expect((await events.query({ clientId: 'app', limit: 1 }))[0]).toEqual(noAccount);
      expect((await events.query({ accountId: 'acct-1', limit: 1 }))[0]).toEqual(noClient);
    });

    test('an expired event is never returned, whether or not the TTL index has removed it yet', async () => {
      const live = record(0);
      await events.append(record(10, { expiresAt: EXPIRED }));
      await events.append(live);
      expect(await events.query({ limit: 10 })).toEqual([live]);
      expect(await events.query({ accountId: 'acct-1', since: new Date(0), limit: 10 })).toEqual([live]);
    });

    test('20 concurrent appends all land', async () => {
      const many = Array.from({ length: 20 }, (_, i) => record(i));
      await Promise.all(many.map((r) => events.append(r)));
      expect(await events.query({ limit: 100 })).toHaveLength(20);
    });
  });
}
