/**
 * Login throttling: exponential backoff per account, and hourly ceilings on failures per account (at
 * most 100, OWASP ASVS 4.0.3 V2.2.1) and per client address. Counters live in the store, so every instance
 * shares them, and are keyed by the normalized email's digest whether or not the account exists: an
 * unknown email is throttled exactly like a known one, and a throttled attempt is refused before any
 * account lookup or password verification, so neither its answer nor its timing says which it was.
 *
 * Each attempt is a reservation: `admit` inserts a record under the account and the address key, then
 * counts the records in the last hour other than its own. A record stays as the failure it presumably
 * is; a success or a refusal removes it. Why the ceiling holds under any concurrency, on MongoDB and on
 * FerretDB alike: records are only ever inserted, and failure records are never removed within the
 * hour. Among the failures of one hour, the one inserted last counted after its own insert, so it saw
 * every other one — it was admitted only because it saw fewer than the ceiling, so there are at most
 * ceiling of them. Attempts still in flight count too, which can only refuse more, never fewer.
 *
 * Backoff: after `freeFailures` failures, the next attempt must wait `base · 2^(failures − free)`
 * seconds (at most `backoffMaxSeconds`) after the newest failure. Failures count from the account's
 * last success, within the hour.
 *
 * A success ends the account's backoff — the person has proven who they are — but erases no failure:
 * the hourly ceiling still counts every failure of the hour. Otherwise the owner signing in now and
 * then would hand whoever is guessing their password a fresh 100 guesses each time, and the ceiling
 * would bound nothing. A success never touches the address counter either: an attacker who signs in
 * to their own account from an address must not reset the ceiling that shields everyone else's
 * accounts from that address. The price is that a person whose account reached the ceiling cannot
 * sign in until the oldest failure is an hour old.
 *
 * Addresses get no backoff, only their ceiling: many people share one address (NAT, offices), and one
 * person's typos must not slow everyone else down.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, LoginAttemptStore, LoginAttemptTally } from '../store/index.ts';
import { accountKey, addressKey } from './throttle-keys.ts';

/** The window of the hourly ceilings and of the failures backoff counts. */
export const THROTTLE_WINDOW_MS = 3_600_000;
/**
 * Records outlive the window by this much, so clock skew between the instances and the database's TTL
 * monitor never removes a failure the window still counts.
 */
const EXPIRY_MARGIN_MS = 600_000;

export interface ThrottlePolicy {
  readonly freeFailures: number;
  readonly backoffBaseSeconds: number;
  readonly backoffMaxSeconds: number;
  readonly maxFailuresPerAccount: number;
  readonly maxFailuresPerAddress: number;
}

export type ThrottleReason = 'account_backoff' | 'account_ceiling' | 'address_ceiling';

export interface Throttled {
  readonly outcome: 'throttled';
  readonly reason: ThrottleReason;
  /** Whole seconds, at least 1: the `Retry-After` value. */
  readonly retryAfterSeconds: number;
}

export interface Admitted {
  readonly outcome: 'admitted';
  /** The password was right: the reservation goes, and the account's backoff ends. */
  succeeded(): Promise<void>;
  /** The password was wrong (or the account unknown or disabled): the reservation stays as the failure. */
  failed(): Promise<void>;
}

export type Admission = Admitted | Throttled;

export interface LoginThrottle {
  /** Call before the password is verified; an attempt that throws before `succeeded` counts as a failure. */
  admit(email: string, ip: string): Promise<Admission>;
}

/** Seconds to wait after the newest of `failures` failures: 0 while they are free. */
export function backoffSeconds(failures: number, policy: ThrottlePolicy): number {
  if (failures < policy.freeFailures) return 0;
  return Math.min(policy.backoffBaseSeconds * 2 ** (failures - policy.freeFailures), policy.backoffMaxSeconds);
}

interface Refusal {
  readonly reason: ThrottleReason;
  readonly retryAt: number;
}

export function createLoginThrottle({ attempts, clock, policy }: { attempts: LoginAttemptStore; clock: Clock; policy: ThrottlePolicy }): LoginThrottle {
  function backoff(sinceSuccess: LoginAttemptTally): Refusal | undefined {
    const wait = backoffSeconds(sinceSuccess.count, policy);
    if (wait === 0 || !sinceSuccess.newest) return undefined;
    return { reason: 'account_backoff', retryAt: sinceSuccess.newest.getTime() + wait * 1000 };
  }

  /** The refusals of one attempt (recorded at `now` as `attemptId`), by the records of the last hour. */
  async function refusals(now: number, attemptId: string, account: string, address: string): Promise<Refusal[]> {
    const since = new Date(now - THROTTLE_WINDOW_MS);
    // A key at its ceiling drops below it once enough of its oldest records leave the window.
    const ceiling = async (key: string, tally: LoginAttemptTally, max: number, reason: ThrottleReason): Promise<Refusal | undefined> => {
      if (tally.count < max) return undefined;
      const leaving = await attempts.timeOf(key, since, tally.count - max, attemptId);
      // Gone since the count (a success or a refusal removed it): assume the worst, a fresh hour.
      return { reason, retryAt: (leaving?.getTime() ?? now) + THROTTLE_WINDOW_MS };
    };
    const [lastSuccess, accountTally, addressTally] = await Promise.all([
      attempts.lastSuccess(account),
      attempts.tally(account, since, attemptId),
      attempts.tally(address, since, attemptId),
    ]);
    // Failures in the very millisecond of the success count too (a tally counts strictly after `since`).
    const resetAt = lastSuccess && lastSuccess > since ? new Date(lastSuccess.getTime() - 1) : undefined;
    const sinceSuccess = resetAt ? await attempts.tally(account, resetAt, attemptId) : accountTally;
    const found = await Promise.all([
      backoff(sinceSuccess),
      ceiling(account, accountTally, policy.maxFailuresPerAccount, 'account_ceiling'),
      ceiling(address, addressTally, policy.maxFailuresPerAddress, 'address_ceiling'),
    ]);
    return found.filter((r): r is Refusal => r !== undefined && r.retryAt > now);
  }

  return {
    async admit(email, ip) {
      const now = clock();
      const attemptId = randomUUID();
      const account = accountKey(email);
      const address = addressKey(ip);
      await attempts.add({ attemptId, keys: [account, address], at: new Date(now), expiresAt: new Date(now + THROTTLE_WINDOW_MS + EXPIRY_MARGIN_MS) });

      const refused = await refusals(now, attemptId, account, address);
      if (refused.length > 0) {
        // A refused attempt checked no password, so it is no failure: counting it would let anyone keep
        // an account locked for ever by knocking during the lock.
        await attempts.remove(attemptId);
        const last = refused.reduce((a, b) => (b.retryAt > a.retryAt ? b : a));
        return { outcome: 'throttled', reason: last.reason, retryAfterSeconds: Math.max(1, Math.ceil((last.retryAt - now) / 1000)) };
      }
      return {
        outcome: 'admitted',
        async succeeded() {
          const at = clock();
          await Promise.all([attempts.remove(attemptId), attempts.recordSuccess(account, new Date(at), new Date(at + THROTTLE_WINDOW_MS))]);
        },
        failed: async () => {},
      };
    },
  };
}
