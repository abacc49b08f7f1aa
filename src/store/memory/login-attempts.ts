/**
 * Login attempts in memory (dev mode, unit tests). Each method runs without an `await` in between, so it
 * is atomic by construction. Expired records are swept at most once a minute, on insert, by the times
 * the caller passes in (this store has no clock of its own: the throttle's clock decides).
 */
import type { LoginAttempt, LoginAttemptStore, LoginAttemptTally } from '../ports.ts';

interface AttemptRecord {
  readonly attemptId: string;
  readonly at: number;
  readonly expiresAt: number;
}

const SWEEP_EVERY_MS = 60_000;

export class MemoryLoginAttemptStore implements LoginAttemptStore {
  /** Records by key, in insertion order. */
  readonly #byKey = new Map<string, AttemptRecord[]>();
  readonly #successes = new Map<string, { at: Date; expiresAt: number }>();
  #sweptAt = Number.NEGATIVE_INFINITY;

  #sweep(now: number): void {
    if (now - this.#sweptAt < SWEEP_EVERY_MS) return;
    this.#sweptAt = now;
    for (const [key, records] of this.#byKey) {
      const live = records.filter((r) => r.expiresAt > now);
      if (live.length === 0) this.#byKey.delete(key);
      else this.#byKey.set(key, live);
    }
    for (const [key, success] of this.#successes) if (success.expiresAt <= now) this.#successes.delete(key);
  }

  #window(key: string, since: Date, exceptAttemptId: string): AttemptRecord[] {
    const after = since.getTime();
    return (this.#byKey.get(key) ?? []).filter((r) => r.at > after && r.attemptId !== exceptAttemptId);
  }

  async add(attempt: LoginAttempt): Promise<void> {
    const at = attempt.at.getTime();
    this.#sweep(at);
    for (const key of attempt.keys) {
      const records = this.#byKey.get(key) ?? [];
      records.push({ attemptId: attempt.attemptId, at, expiresAt: attempt.expiresAt.getTime() });
      this.#byKey.set(key, records);
    }
  }

  async remove(attemptId: string): Promise<void> {
    for (const [key, records] of this.#byKey) this.#byKey.set(key, records.filter((r) => r.attemptId !== attemptId));
  }

  async tally(key: string, since: Date, exceptAttemptId: string): Promise<LoginAttemptTally> {
    const records = this.#window(key, since, exceptAttemptId);
    const newest = records.reduce<number | undefined>((max, r) => (max === undefined || r.at > max ? r.at : max), undefined);
    return { count: records.length, newest: newest === undefined ? undefined : new Date(newest) };
  }

  async timeOf(key: string, since: Date, skip: number, exceptAttemptId: string): Promise<Date | undefined> {
    const times = this.#window(key, since, exceptAttemptId)
      .map((r) => r.at)
      .sort((a, b) => a - b);
    const at = times[skip];
    return at === undefined ? undefined : new Date(at);
  }

  async recordSuccess(key: string, at: Date, expiresAt: Date): Promise<void> {
    this.#successes.set(key, { at, expiresAt: expiresAt.getTime() });
  }

  async lastSuccess(key: string): Promise<Date | undefined> {
    return this.#successes.get(key)?.at;
  }
}
