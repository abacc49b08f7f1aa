import { assertNoSecretsLogged } from './log-scan.ts';
import type { TestDatabase } from './test-database.ts';

/** The acceptance check of the security event log: no secret the tests saw is in any log line. */
export function scanThisRun(): void {
  const runDir = process.env.TEST_ARTIFACTS_RUN_DIR;
  if (runDir) assertNoSecretsLogged(runDir);
}

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __testDatabase?: TestDatabase }).__testDatabase?.stop();
  scanThisRun();
}
