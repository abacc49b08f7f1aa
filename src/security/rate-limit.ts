/**
 * Token buckets shared by every instance through the store, on insert-only records (the generic cell
 * rate algorithm, GCRA: a token bucket expressed as reservations along time).
 *
 * A bucket of capacity `burst` refilled at `perMinute` a minute cuts time into slots of
 * T = 60 s / perMinute, numbered from the epoch; `current` is the slot the clock is in. Admitting a
 * request claims one slot in [current, current + burst) — the next one above the highest claimed — by
 * inserting it (RateLimitStore.claim: exactly one caller wins a slot). Why this is the token bucket: the
 * claimed slots at or above `current` are the tokens spent and not yet refilled. A request finds a free
 * slot exactly when fewer than `burst` are claimed there (the bucket holds a token), and every time
 * `current` moves on by one slot a claimed slot falls out of the range (one token refilled per T), until
 * none is left (the bucket is full; it never holds more than `burst`). The one approximation is that
 * refill happens at slot boundaries, not continuously: a token comes back at the next boundary after
 * each T rather than exactly T after the request, so over any interval of length L at most
 * burst + ⌈L / T⌉ requests are admitted (a true bucket: burst + ⌊L / T⌋).
 *
 * Why it holds under concurrency on FerretDB (whose `$inc` and conditional updates are not atomic):
 * there are only `burst` slots in the range and each is inserted once, so at most `burst` requests are
 * admitted above `current`, however many instances race. A request that loses a slot tries the next one.
 * Claims of one key are made one at a time per instance (a queue per key), so a burst from one address
 * costs the store about one read and one insert per admitted request rather than one insert per request
 * and lost race, and the requests queued behind a refusal are refused locally.
 *
 * The local fast path: once the store said no, this instance refuses the key by itself until the retry
 * time. That is exact, not a cache that may be stale: claims are never removed, so no slot below the
 * retry time can become free in the meantime.
 */
import type { Clock, RateLimitStore } from '../store/index.ts';

/** A token bucket: `burst` requests at once, refilled at `perMinute` a minute. */
export interface Bucket {
  readonly perMinute: number;
  readonly burst: number;
}

export type Verdict =
  | { readonly allowed: true }
  /** `local`: refused by this instance's memory of an earlier refusal, without asking the store. */
  | { readonly allowed: false; readonly retryAfterSeconds: number; readonly local: boolean };

export interface RateLimiter {
  /**
   * Takes one token from the bucket named `key`, or says when to try again (whole seconds, at least 1).
   * Rejects when the store fails (the caller decides: the middleware lets the request through).
   */
  take(key: string, bucket: Bucket): Promise<Verdict>;
}

/** Claims outlive their slot by this much, so an instance whose clock lags still counts them. */
const EXPIRY_MARGIN_MS = 60_000;
/** After the store failed, this long without asking it (a queue of requests must not each wait for a timeout). */
const STORE_PAUSE_MS = 5_000;
/** Keys refused locally that this instance remembers at most (a flood of addresses must not grow it without end). */
const MAX_REFUSED_KEYS = 10_000;

export class RateLimitStoreFailed extends Error {
  override readonly name = 'RateLimitStoreFailed';
}

const ALLOWED: Verdict = Object.freeze({ allowed: true });

function refusal(retryAt: number, now: number, local: boolean): Verdict {
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((retryAt - now) / 1000)), local };
}

export function createRateLimiter({ slots, clock }: { slots: RateLimitStore; clock: Clock }): RateLimiter {
  /** Keys the store refused, with the time until which no slot can be free. */
  const refusedUntil = new Map<string, number>();
  /** The tail of each key's queue of claims on this instance. */
  const queues = new Map<string, Promise<unknown>>();
  let storePausedUntil = Number.NEGATIVE_INFINITY;

  function remember(key: string, retryAt: number, now: number): void {
    if (refusedUntil.size >= MAX_REFUSED_KEYS) {
      for (const [k, until] of refusedUntil) if (until <= now) refusedUntil.delete(k);
      // Still full: forget the oldest; forgetting only costs a store read when the key comes back.
      for (const k of refusedUntil.keys()) {
        if (refusedUntil.size < MAX_REFUSED_KEYS) break;
        refusedUntil.delete(k);
      }
    }
    refusedUntil.set(key, retryAt);
  }

  function locally(key: string, now: number): Verdict | undefined {
    const until = refusedUntil.get(key);
    if (until === undefined) return undefined;
    if (until > now) return refusal(until, now, true);
    refusedUntil.delete(key);
    return undefined;
  }

  function queued<T>(key: string, run: () => Promise<T>): Promise<T> {
    const result = (queues.get(key) ?? Promise.resolve()).then(run);
    const tail = result.catch(() => {});
    queues.set(key, tail);
    void tail.then(() => {
      if (queues.get(key) === tail) queues.delete(key);
    });
    return result;
  }

  async function claim(storeKey: string, bucket: Bucket): Promise<Verdict> {
    const now = clock();
    if (now < storePausedUntil) throw new RateLimitStoreFailed('the rate limit store failed a moment ago');
    const slotMs = 60_000 / bucket.perMinute;
    const current = Math.floor(now / slotMs);
    const end = current + bucket.burst;
    try {
      const highest = await slots.highest(storeKey, current);
      let next = highest === undefined ? current : highest + 1;
      for (; next < end; next += 1) {
        if (await slots.claim({ key: storeKey, slot: next, at: new Date(now), expiresAt: new Date((next + 1) * slotMs + EXPIRY_MARGIN_MS) })) return ALLOWED;
      }
      // Slot `next` is the first that may be free: it enters the range once `current` reaches next − burst + 1.
      const retryAt = (next - bucket.burst + 1) * slotMs;
      remember(storeKey, retryAt, now);
      return refusal(retryAt, now, false);
    } catch (err) {
      storePausedUntil = now + STORE_PAUSE_MS;
      throw err;
    }
  }

  return {
    async take(key, bucket) {
      // Slot numbers depend on the rate: instances configured differently (a rolling change) keep apart.
      const storeKey = `${key}@${bucket.perMinute}`;
      const early = locally(storeKey, clock());
      if (early) return early;
      return queued(storeKey, async () => locally(storeKey, clock()) ?? claim(storeKey, bucket));
    },
  };
}
