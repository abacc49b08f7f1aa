import { provisionTestDatabase } from './test-database.ts';

export default async function globalSetup(): Promise<void> {
  const db = await provisionTestDatabase();
  process.env.TEST_MONGODB_URI = db.uri;
  process.env.TEST_MONGODB_KIND = db.kind;
  (globalThis as { __testDatabase?: typeof db }).__testDatabase = db;
  process.stderr.write(`\ntest database: ${db.kind} at ${db.uri}\n`);
}
