/**
 * Rate limit slots in memory (dev mode, unit tests). Each method runs without an `await` in between, so a
 * claim is atomic by construction. Expired claims are swept at most once a minute, on claim, by the time
 * the caller passes in (this store has no clock of its own: the rate limiter's clock decides).
 */
import type { RateLimitClaim, RateLimitStore } from '../ports.ts';

const SWEEP_EVERY_MS = 60_000;

export class MemoryRateLimitStore implements RateLimitStore {
  /** Each key's claimed slots, with the time each claim may be forgotten. */
  readonly #byKey = new Map<string, Map<number, number>>();
  #sweptAt = Number.NEGATIVE_INFINITY;

  #sweep(now: number): void {
    if (now - this.#sweptAt < SWEEP_EVERY_MS) return;
    this.#sweptAt = now;
    for (const [key, slots] of this.#byKey) {
      for (const [slot, expiresAt] of slots) if (expiresAt <= now) slots.delete(slot);
      if (slots.size === 0) this.#byKey.delete(key);
    }
  }

  async claim({ key, slot, at, expiresAt }: RateLimitClaim): Promise<boolean> {
    this.#sweep(at.getTime());
    const slots = this.#byKey.get(key) ?? new Map<number, number>();
    this.#byKey.set(key, slots);
    if (slots.has(slot)) return false;
    slots.set(slot, expiresAt.getTime());
    return true;
  }

  async highest(key: string, from: number): Promise<number | undefined> {
    let found: number | undefined;
    for (const slot of this.#byKey.get(key)?.keys() ?? []) if (slot >= from && (found === undefined || slot > found)) found = slot;
    return found;
  }
}
