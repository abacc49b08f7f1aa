import { assertNoSecretsLogged } from './log-scan.ts';
import type { TestDatabase } from './test-database.ts';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __testDatabase?: TestDatabase }).__testDatabase?.stop();
  // The acceptance check of the security event log: no secret the tests saw is in any log line.
  const runDir = process.env.TEST_ARTIFACTS_RUN_DIR;
  if (runDir) assertNoSecretsLogged(runDir);
}
