// store/mongo/: the MongoDB backend (official driver) — production's store for every model, accounts, clients.
import type { Db, MongoClient } from 'mongodb';
import type { Clock, Store } from '../ports.ts';
import { MongoAccountStore } from './accounts.ts';
import { MongoClientStore, MongoResourceServerStore } from './clients.ts';
import { MongoDeviceSessionStore } from './device-sessions.ts';
import { MongoLoginAttemptStore } from './login-attempts.ts';
import { MongoModelStores } from './models.ts';

export { connectWithRetry, createClient, describeHosts, StoreConnectError } from './connect.ts';
export { ensureIndexes, indexPlan, type MigrationResult } from './indexes.ts';
export { digestId, modelCollection } from './collections.ts';

export interface MongoStore extends Store {
  readonly db: Db;
}

/** A store over an already connected client; `close` closes the client. */
export function createMongoStore(client: MongoClient, clock: Clock = Date.now, dbName?: string): MongoStore {
  const db = client.db(dbName);
  return {
    kind: 'mongodb',
    db,
    models: new MongoModelStores(db, clock),
    accounts: new MongoAccountStore(db, clock),
    clients: new MongoClientStore(db),
    resourceServers: new MongoResourceServerStore(db),
    deviceSessions: new MongoDeviceSessionStore(db, clock),
    loginAttempts: new MongoLoginAttemptStore(db),
    ping: async () => {
      await db.command({ ping: 1 });
    },
    close: () => client.close(),
  };
}
