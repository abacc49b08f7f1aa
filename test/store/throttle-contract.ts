/**
 * The login-attempt port's contract, run on every backend (memory.test.ts, mongo.test.ts): insert-only
 * records counted over a window, and the throttle's hourly ceiling holding under concurrent attempts.
 * Times are passed in by the caller, so no case waits.
 */
import { randomUUID } from 'node:crypto';
import { accountKey, createLoginThrottle, type ThrottlePolicy } from '../../src/accounts/index.ts';
import type { LoginAttemptStore, Store } from '../../src/store/index.ts';
import type { ContractContext } from './contract.ts';

const T0 = Date.now();
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const HOUR = 3600;

function add(attempts: LoginAttemptStore, keys: string[], seconds: number, attemptId: string = randomUUID()): Promise<void> {
  return attempts.add({ attemptId, keys, at: at(seconds), expiresAt: at(seconds + HOUR) });
}

export function throttleContract(name: string, ctx: ContractContext): void {
  describe(`${name} login attempts contract`, () => {
    let store: Store;
    let attempts: LoginAttemptStore;

    beforeEach(async () => {
      ({ store } = await ctx.create());
      attempts = store.loginAttempts;
    });
    afterEach(() => store.close());

    test('tally counts the records strictly newer than `since`, other than the caller\'s, and finds the newest', async () => {
      await add(attempts, ['a', 'ip'], 0);
      await add(attempts, ['a', 'ip'], 10);
      await add(attempts, ['b', 'ip'], 20);
      await add(attempts, ['a', 'ip'], 30, 'mine');
      expect(await attempts.tally('a', at(-1), 'mine')).toEqual({ count: 2, newest: at(10) });
      expect(await attempts.tally('a', at(0), 'nobody')).toEqual({ count: 2, newest: at(30) });
      expect(await attempts.tally('ip', at(-1), 'mine')).toEqual({ count: 3, newest: at(20) });
      expect(await attempts.tally('c', at(-1), 'mine')).toEqual({ count: 0, newest: undefined });
    });

    test('remove forgets every record of that attempt and nothing else', async () => {
      await add(attempts, ['a', 'ip'], 0, 'first');
      await add(attempts, ['a', 'ip'], 1, 'second');
      await attempts.remove('first');
      expect((await attempts.tally('a', at(-1), 'x')).count).toBe(1);
      expect((await attempts.tally('ip', at(-1), 'x')).count).toBe(1);
      await attempts.remove('unknown');
      expect((await attempts.tally('a', at(-1), 'x')).count).toBe(1);
    });

    test('timeOf finds the record with `skip` older ones in the window', async () => {
      for (const s of [30, 10, 20, 40]) await add(attempts, ['a'], s);
      await add(attempts, ['a'], 5, 'mine');
      expect(await attempts.timeOf('a', at(0), 0, 'mine')).toEqual(at(10));
      expect(await attempts.timeOf('a', at(0), 2, 'mine')).toEqual(at(30));
      expect(await attempts.timeOf('a', at(10), 0, 'mine')).toEqual(at(20));
      expect(await attempts.timeOf('a', at(0), 4, 'mine')).toBeUndefined();
    });

    test('the last success per key replaces the one before', async () => {
      expect(await attempts.lastSuccess('a')).toBeUndefined();
      await attempts.recordSuccess('a', at(1), at(HOUR));
      await attempts.recordSuccess('a', at(2), at(HOUR));
      expect(await attempts.lastSuccess('a')).toEqual(at(2));
      expect(await attempts.lastSuccess('b')).toBeUndefined();
    });

    test('20 concurrent failures are all recorded and counted exactly, under each key', async () => {
      await Promise.all(Array.from({ length: 20 }, (_, i) => add(attempts, ['a', 'ip'], i % 3)));
      expect((await attempts.tally('a', at(-1), 'x')).count).toBe(20);
      expect((await attempts.tally('ip', at(-1), 'x')).count).toBe(20);
    });

    test('the hourly ceiling holds under 20 concurrent attempts, and sequential ones fill it exactly', async () => {
      // No backoff here (all failures free): only the ceiling decides.
      const policy: ThrottlePolicy = { freeFailures: 100, backoffBaseSeconds: 1, backoffMaxSeconds: 1, maxFailuresPerAccount: 5, maxFailuresPerAddress: 1000 };
      const throttle = createLoginThrottle({ attempts, clock: () => T0, policy });
      const burst = await Promise.all(Array.from({ length: 20 }, () => throttle.admit('Victim@Example.com', '192.0.2.1')));
      const admitted = burst.filter((a) => a.outcome === 'admitted');
      expect(admitted.length).toBeLessThanOrEqual(5);
      await Promise.all(admitted.map((a) => (a.outcome === 'admitted' ? a.failed() : undefined)));

      let more = 0;
      for (let i = 0; i < 10; i += 1) {
        const next = await throttle.admit(' victim@example.com', '192.0.2.1');
        if (next.outcome === 'admitted') {
          more += 1;
          await next.failed();
        }
      }
      expect(admitted.length + more).toBe(5);
      expect((await attempts.tally(accountKey('victim@example.com'), at(-HOUR), 'x')).count).toBe(5);
    });
  });
}
