/**
 * Login attempts in MongoDB. Every attempt inserts one document per key and never updates it, so the
 * throttle's ceiling holds on FerretDB too (its conditional updates and `$inc` read and then write; an
 * insert is atomic): a count issued after an insert sees that insert and every insert acknowledged
 * before it. Lookups use the `key, at` index; `expiresAt` carries the TTL cleanup (indexes.ts).
 */
import type { Collection, Db } from 'mongodb';
import type { LoginAttempt, LoginAttemptStore, LoginAttemptTally } from '../ports.ts';
import { LOGIN_ATTEMPTS, LOGIN_SUCCESSES } from './collections.ts';
import { isDuplicateKey } from './models.ts';

interface AttemptDocument {
  /** `<attemptId>/<key>`: one record per attempt and key. */
  _id: string;
  attempt: string;
  key: string;
  at: Date;
  expiresAt: Date;
}

interface SuccessDocument {
  /** The key (an account's email digest). */
  _id: string;
  at: Date;
  expiresAt: Date;
}

export class MongoLoginAttemptStore implements LoginAttemptStore {
  readonly #attempts: Collection<AttemptDocument>;
  readonly #successes: Collection<SuccessDocument>;

  constructor(db: Db) {
    this.#attempts = db.collection<AttemptDocument>(LOGIN_ATTEMPTS);
    this.#successes = db.collection<SuccessDocument>(LOGIN_SUCCESSES);
  }

  static #window(key: string, since: Date, exceptAttemptId: string) {
    return { key, at: { $gt: since }, attempt: { $ne: exceptAttemptId } };
  }

  async add({ attemptId, keys, at, expiresAt }: LoginAttempt): Promise<void> {
    await this.#attempts.insertMany(keys.map((key) => ({ _id: `${attemptId}/${key}`, attempt: attemptId, key, at, expiresAt })));
  }

  async remove(attemptId: string): Promise<void> {
    await this.#attempts.deleteMany({ attempt: attemptId });
  }

  async tally(key: string, since: Date, exceptAttemptId: string): Promise<LoginAttemptTally> {
    const filter = MongoLoginAttemptStore.#window(key, since, exceptAttemptId);
    const [count, newest] = await Promise.all([
      this.#attempts.countDocuments(filter),
      this.#attempts.findOne(filter, { sort: { at: -1 }, projection: { at: 1 } }),
    ]);
    return { count, newest: newest?.at };
  }

  async timeOf(key: string, since: Date, skip: number, exceptAttemptId: string): Promise<Date | undefined> {
    const filter = MongoLoginAttemptStore.#window(key, since, exceptAttemptId);
    const [found] = await this.#attempts.find(filter, { projection: { at: 1 } }).sort({ at: 1 }).skip(skip).limit(1).toArray();
    return found?.at;
  }

  async recordSuccess(key: string, at: Date, expiresAt: Date): Promise<void> {
    const write = () => this.#successes.replaceOne({ _id: key }, { at, expiresAt }, { upsert: true });
    try {
      await write();
    } catch (err) {
      // Two first successes raced to insert the document; it exists now, so this write updates it.
      if (!isDuplicateKey(err)) throw err;
      await write();
    }
  }

  async lastSuccess(key: string): Promise<Date | undefined> {
    return (await this.#successes.findOne({ _id: key }))?.at;
  }
}
