import type { Collection, Db } from 'mongodb';
import type { Clock, DeviceSession, DeviceSessionStore } from '../ports.ts';
import { DEVICE_SESSIONS } from './collections.ts';
import { isDuplicateKey } from './models.ts';

interface DeviceSessionDocument {
  _id: string;
  accountId: string;
  userAgent: string;
  ip: string;
  signedInAt: Date;
  lastActiveAt: Date;
  expiresAt: Date;
}

export class MongoDeviceSessionStore implements DeviceSessionStore {
  readonly #sessions: Collection<DeviceSessionDocument>;
  readonly #clock: Clock;

  constructor(db: Db, clock: Clock) {
    this.#sessions = db.collection<DeviceSessionDocument>(DEVICE_SESSIONS);
    this.#clock = clock;
  }

  async record(entry: DeviceSession, ttlSeconds: number): Promise<void> {
    const { uid, ...rest } = entry;
    const write = () => this.#sessions.replaceOne({ _id: uid }, { ...rest, expiresAt: new Date(this.#clock() + ttlSeconds * 1000) }, { upsert: true });
    try {
      await write();
    } catch (err) {
      // Concurrent requests of one new session raced to insert its record; it exists now, so this updates it.
      if (!isDuplicateKey(err)) throw err;
      await write();
    }
  }

  async listByAccount(accountId: string): Promise<DeviceSession[]> {
    const docs = await this.#sessions.find({ accountId, expiresAt: { $gt: new Date(this.#clock()) } }).sort({ lastActiveAt: -1 }).toArray();
    return docs.map(({ _id, expiresAt: _e, ...rest }) => Object.freeze({ uid: _id, ...rest }));
  }

  async remove(uid: string): Promise<void> {
    await this.#sessions.deleteOne({ _id: uid });
  }
}
