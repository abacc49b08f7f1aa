/**
 * The security event log in MongoDB: one insert per event, never updated. The TTL index on `expiresAt`
 * removes old entries; where the server has none (FerretDB) a read still skips them.
 */
import type { Collection, Db, Filter } from 'mongodb';
import type { Clock, SecurityEventQuery, SecurityEventRecord, SecurityEventStore } from '../ports.ts';
import { SECURITY_EVENTS } from './collections.ts';

interface SecurityEventDocument {
  _id: string;
  event: string;
  time: Date;
  accountId?: string;
  clientId?: string;
  details: Record<string, string | number>;
  expiresAt: Date;
}

export class MongoSecurityEventStore implements SecurityEventStore {
  readonly #events: Collection<SecurityEventDocument>;
  readonly #clock: Clock;

  constructor(db: Db, clock: Clock) {
    this.#events = db.collection<SecurityEventDocument>(SECURITY_EVENTS);
    this.#clock = clock;
  }

  async append(record: SecurityEventRecord): Promise<void> {
    const { id, accountId, clientId, ...rest } = record;
    // Absent rather than null, so an account or client filter never matches a missing one.
    await this.#events.insertOne({
      _id: id,
      ...rest,
      details: { ...rest.details },
      ...(accountId === undefined ? {} : { accountId }),
      ...(clientId === undefined ? {} : { clientId }),
    });
  }

  async query({ accountId, clientId, since, limit }: SecurityEventQuery): Promise<SecurityEventRecord[]> {
    if (limit <= 0) return [];
    const filter: Filter<SecurityEventDocument> = {
      expiresAt: { $gt: new Date(this.#clock()) },
      ...(accountId === undefined ? {} : { accountId }),
      ...(clientId === undefined ? {} : { clientId }),
      ...(since === undefined ? {} : { time: { $gte: since } }),
    };
    const docs = await this.#events.find(filter).sort({ time: -1, _id: -1 }).limit(limit).toArray();
    return docs.map(({ _id, accountId: a, clientId: c, details, ...rest }) =>
      Object.freeze({ id: _id, ...rest, accountId: a, clientId: c, details: Object.freeze({ ...details }) }),
    );
  }
}
