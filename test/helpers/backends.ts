/**
 * The store backends every flow and contract test runs on: memory, and MongoDB (the test database from
 * test/setup, one fresh database per store so test files never see each other's data).
 */
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import type { Clock, Store } from '../../src/store/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { createMongoStore, ensureIndexes, type MongoStore } from '../../src/store/mongo/index.ts';

export function testMongoUri(): string {
  const uri = process.env.TEST_MONGODB_URI;
  if (!uri) throw new Error('TEST_MONGODB_URI is not set: the jest global setup provisions it (test/setup)');
  return uri;
}

export function testDatabaseName(): string {
  return `portcullis_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
}

/** A MongoDB store on a fresh database with the production index set; closing drops the database. */
export async function mongoTestStore(clock: Clock = Date.now, dbName = testDatabaseName()): Promise<MongoStore> {
  const client = new MongoClient(testMongoUri(), { writeConcern: { w: 'majority' }, serverSelectionTimeoutMS: 5000 });
  await client.connect();
  const store = createMongoStore(client, clock, dbName);
  await ensureIndexes(store.db, () => {});
  return {
    ...store,
    close: async () => {
      await store.db.dropDatabase().catch(() => {});
      await client.close();
    },
  };
}

export const BACKENDS: ReadonlyArray<readonly [string, () => Promise<Store>]> = [
  ['memory', async () => createMemoryStore()],
  ['mongodb', () => mongoTestStore()],
];
