/**
 * Rate limit slots in MongoDB: one document per claimed slot, `_id` `<key>#<slot>`, inserted and never
 * updated. The unique `_id` is what makes a claim atomic on FerretDB too (its conditional updates and
 * `$inc` read and then write; an insert refused on a duplicate key does not). `highest` uses the
 * `key, slot` index; `expiresAt` carries the TTL cleanup (indexes.ts). FerretDB refuses TTL indexes, so
 * the store also deletes expired claims itself, at most once a minute, in the background of a claim.
 */
import type { Collection, Db } from 'mongodb';
import type { RateLimitClaim, RateLimitStore } from '../ports.ts';
import { RATE_LIMIT_SLOTS } from './collections.ts';
import { isDuplicateKey } from './models.ts';

interface SlotDocument {
  _id: string;
  key: string;
  slot: number;
  at: Date;
  expiresAt: Date;
}

const SWEEP_EVERY_MS = 60_000;

export class MongoRateLimitStore implements RateLimitStore {
  readonly #slots: Collection<SlotDocument>;
  #sweptAt = Number.NEGATIVE_INFINITY;

  constructor(db: Db) {
    this.#slots = db.collection<SlotDocument>(RATE_LIMIT_SLOTS);
  }

  #sweep(now: Date): void {
    if (now.getTime() - this.#sweptAt < SWEEP_EVERY_MS) return;
    this.#sweptAt = now.getTime();
    // Cleanup only (reads never count a past slot): a failure waits for the next sweep.
    this.#slots.deleteMany({ expiresAt: { $lte: now } }).catch(() => {});
  }

  async claim({ key, slot, at, expiresAt }: RateLimitClaim): Promise<boolean> {
    this.#sweep(at);
    try {
      await this.#slots.insertOne({ _id: `${key}#${slot}`, key, slot, at, expiresAt });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async highest(key: string, from: number): Promise<number | undefined> {
    const found = await this.#slots.findOne({ key, slot: { $gte: from } }, { sort: { slot: -1 }, projection: { slot: 1 } });
    return found?.slot;
  }
}
