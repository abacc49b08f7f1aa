/**
 * The rate limit port's contract, run on every backend (memory.test.ts, mongo.test.ts): a slot goes to
 * exactly one claimer, `highest` never reads a past slot, and the token bucket built on them
 * (security/rate-limit.ts) counts exactly — sequentially, after its clock moves on, and under 20
 * concurrent requests from several instances sharing the store. Times are the test's own, so no case waits.
 */
import { createRateLimiter, type Bucket, type RateLimiter } from '../../src/security/rate-limit.ts';
import type { RateLimitStore, Store } from '../../src/store/index.ts';
import type { ContractContext } from './contract.ts';

/** A minute-aligned start, so slot boundaries fall where the cases expect them. */
const T0 = Math.floor(Date.now() / 60_000) * 60_000;
const claim = (slots: RateLimitStore, key: string, slot: number) =>
  slots.claim({ key, slot, at: new Date(T0), expiresAt: new Date(T0 + 3_600_000) });

export function rateLimitContract(name: string, ctx: ContractContext): void {
  describe(`${name} rate limits contract`, () => {
    let store: Store;
    let now: number;
    const limiter = (): RateLimiter => createRateLimiter({ slots: store.rateLimits, clock: () => now });
    const takeMany = (limiters: RateLimiter[], count: number, bucket: Bucket) =>
      Promise.all(Array.from({ length: count }, (_, i) => limiters[i % limiters.length]!.take('token:ip:192.0.2.1', bucket)));
    const allowed = (verdicts: Array<{ allowed: boolean }>) => verdicts.filter((v) => v.allowed).length;

    beforeEach(async () => {
      ({ store } = await ctx.create());
      now = T0;
    });
    afterEach(() => store.close());

    test('a slot is claimed once; highest reads only the key\'s slots at or above `from`', async () => {
      const slots = store.rateLimits;
      expect(await slots.highest('a', 0)).toBeUndefined();
      expect(await claim(slots, 'a', 10)).toBe(true);
      expect(await claim(slots, 'a', 10)).toBe(false);
      expect(await claim(slots, 'a', 12)).toBe(true);
      expect(await claim(slots, 'b', 10)).toBe(true);
      expect(await slots.highest('a', 0)).toBe(12);
      expect(await slots.highest('a', 12)).toBe(12);
      expect(await slots.highest('a', 13)).toBeUndefined();
      expect(await slots.highest('c', 0)).toBeUndefined();
    });

    test('20 concurrent claims: one winner for one slot, and every one of 20 distinct slots', async () => {
      const slots = store.rateLimits;
      const same = await Promise.all(Array.from({ length: 20 }, () => claim(slots, 'same', 7)));
      expect(same.filter(Boolean)).toHaveLength(1);
      const distinct = await Promise.all(Array.from({ length: 20 }, (_, i) => claim(slots, 'distinct', i)));
      expect(distinct.every(Boolean)).toBe(true);
      expect(await slots.highest('distinct', 0)).toBe(19);
    });

    test('a bucket admits its burst, then one request per refill interval, and a full burst after an idle window', async () => {
      const bucket = { perMinute: 6, burst: 3 }; // a token every 10 s
      const rl = limiter();
      expect(allowed(await Promise.all([1, 2, 3].map(() => rl.take('k', bucket))))).toBe(3);
      expect(await rl.take('k', bucket)).toEqual({ allowed: false, retryAfterSeconds: 10, local: false });
      now += 4_000;
      expect(await rl.take('k', bucket)).toEqual({ allowed: false, retryAfterSeconds: 6, local: true });
      now += 6_000;
      expect((await rl.take('k', bucket)).allowed).toBe(true);
      expect((await rl.take('k', bucket)).allowed).toBe(false);
      // Idle for longer than the bucket takes to fill: burst again, not more.
      now += 60_000;
      expect(allowed(await Promise.all([1, 2, 3, 4].map(() => rl.take('k', bucket))))).toBe(3);
      // Other keys have buckets of their own.
      expect((await rl.take('other', bucket)).allowed).toBe(true);
    });

    test('an instance that never saw a refusal asks the store, and gets the same answer', async () => {
      const bucket = { perMinute: 60, burst: 2 };
      const [first, second] = [limiter(), limiter()];
      expect(allowed([await first.take('k', bucket), await first.take('k', bucket)])).toBe(2);
      expect(await second.take('k', bucket)).toEqual({ allowed: false, retryAfterSeconds: 1, local: false });
      now += 1_000;
      expect((await second.take('k', bucket)).allowed).toBe(true);
      expect((await first.take('k', bucket)).allowed).toBe(false);
    });

    test('20 concurrent requests through 4 instances: exactly the burst is admitted', async () => {
      expect(allowed(await takeMany([limiter(), limiter(), limiter(), limiter()], 20, { perMinute: 1, burst: 5 }))).toBe(5);
    });

    test('20 concurrent requests under a larger burst are each counted once', async () => {
      const bucket = { perMinute: 1, burst: 50 };
      const instances = [limiter(), limiter(), limiter(), limiter()];
      expect(allowed(await takeMany(instances, 20, bucket))).toBe(20);
      let more = 0;
      for (let i = 0; i < 40; i += 1) if ((await instances[i % 4]!.take('token:ip:192.0.2.1', bucket)).allowed) more += 1;
      expect(more).toBe(30);
    });
  });
}
