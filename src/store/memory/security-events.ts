/**
 * The security event log in memory (dev mode, unit tests). Bounded: past `capacity` entries the oldest
 * go first, so a long-running dev server cannot grow without limit. Expired entries are skipped on read
 * and swept on append at most once a minute.
 */
import type { Clock, SecurityEventQuery, SecurityEventRecord, SecurityEventStore } from '../ports.ts';

const SWEEP_EVERY_MS = 60_000;
export const MEMORY_SECURITY_EVENTS_CAPACITY = 10_000;

/** Newest first: by time, then by id (ids of one process grow with time). */
export function newestFirst(a: SecurityEventRecord, b: SecurityEventRecord): number {
  return b.time.getTime() - a.time.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

export class MemorySecurityEventStore implements SecurityEventStore {
  /** In append order. */
  #records: SecurityEventRecord[] = [];
  readonly #clock: Clock;
  readonly #capacity: number;
  #sweptAt = Number.NEGATIVE_INFINITY;

  constructor(clock: Clock, capacity = MEMORY_SECURITY_EVENTS_CAPACITY) {
    this.#clock = clock;
    this.#capacity = capacity;
  }

  async append(record: SecurityEventRecord): Promise<void> {
    const now = this.#clock();
    if (now - this.#sweptAt >= SWEEP_EVERY_MS) {
      this.#sweptAt = now;
      this.#records = this.#records.filter((r) => r.expiresAt.getTime() > now);
    }
    this.#records.push(Object.freeze({ ...record, details: Object.freeze({ ...record.details }) }));
    if (this.#records.length > this.#capacity) this.#records.splice(0, this.#records.length - this.#capacity);
  }

  async query({ accountId, clientId, since, limit }: SecurityEventQuery): Promise<SecurityEventRecord[]> {
    const now = this.#clock();
    return this.#records
      .filter(
        (r) =>
          r.expiresAt.getTime() > now &&
          (accountId === undefined || r.accountId === accountId) &&
          (clientId === undefined || r.clientId === clientId) &&
          (since === undefined || r.time.getTime() >= since.getTime()),
      )
      .sort(newestFirst)
      .slice(0, Math.max(0, limit));
  }
}
