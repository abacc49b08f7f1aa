import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { provisionTestDatabase } from './test-database.ts';

const ARTIFACTS = new URL('../../test-artifacts/runs/', import.meta.url).pathname;
/** Older runs' captured logs are removed; newer ones may belong to a run still going in this checkout. */
const KEEP_RUNS_MS = 6 * 3_600_000;

/** A folder of this run's own for the captured logs and the secrets the log scan looks for (log-scan*.ts). */
function artifactsRunDir(): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const name of readdirSync(ARTIFACTS)) {
    const dir = join(ARTIFACTS, name);
    if (Date.now() - statSync(dir).mtimeMs > KEEP_RUNS_MS) rmSync(dir, { recursive: true, force: true });
  }
  const dir = join(ARTIFACTS, `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export default async function globalSetup(): Promise<void> {
  process.env.TEST_ARTIFACTS_RUN_DIR = artifactsRunDir();
  const db = await provisionTestDatabase();
  process.env.TEST_MONGODB_URI = db.uri;
  process.env.TEST_MONGODB_KIND = db.kind;
  (globalThis as { __testDatabase?: typeof db }).__testDatabase = db;
  process.stderr.write(`\ntest database: ${db.kind} at ${db.uri}\n`);
}
