import type { TestDatabase } from './test-database.ts';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __testDatabase?: TestDatabase }).__testDatabase?.stop();
}
