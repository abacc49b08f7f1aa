// store/mongo/: the MongoDB backend (official driver) — production's store for every model, accounts, clients.
import type { Db, MongoClient } from 'mongodb';
import type { Clock, Store } from '../ports.ts';
import { MongoAccountStore } from './accounts.ts';
import { MongoClientStore, MongoResourceServerStore } from './clients.ts';
import { MongoDeviceSessionStore } from './device-sessions.ts';
import { MongoLoginAttemptStore } from './login-attempts.ts';
import { MongoModelStores } from './models.ts';
import { MongoRateLimitStore } from './rate-limits.ts';
import { MongoSecurityEventStore } from './security-events.ts';
import { availabilityGuard, type AvailabilityListener } from './unavailable.ts';

export { connectWithRetry, createClient, describeHosts, StoreConnectError } from './connect.ts';
export { isUnreachable, type AvailabilityListener } from './unavailable.ts';
export { ensureIndexes, indexPlan, type MigrationResult } from './indexes.ts';
export { digestId, modelCollection } from './collections.ts';

export interface MongoStore extends Store {
  readonly db: Db;
}

/**
 * A store over an already connected client; `close` closes the client. Every operation that fails
 * because the database is out of reach throws StoreUnavailable (unavailable.ts); `onAvailability` hears
 * when that starts and when the database answers again.
 */
export function createMongoStore(client: MongoClient, clock: Clock = Date.now, dbName?: string, onAvailability?: AvailabilityListener): MongoStore {
  const db = client.db(dbName);
  const guard = availabilityGuard(onAvailability);
  const ping = guard({ ping: async () => void (await db.command({ ping: 1 })) });
  return {
    kind: 'mongodb',
    db,
    models: guard.models(new MongoModelStores(db, clock)),
    accounts: guard(new MongoAccountStore(db, clock)),
    clients: guard(new MongoClientStore(db)),
    resourceServers: guard(new MongoResourceServerStore(db)),
    deviceSessions: guard(new MongoDeviceSessionStore(db, clock)),
    loginAttempts: guard(new MongoLoginAttemptStore(db)),
    securityEvents: guard(new MongoSecurityEventStore(db, clock)),
    rateLimits: guard(new MongoRateLimitStore(db)),
    ping: () => ping.ping(),
    close: () => client.close(),
  };
}
