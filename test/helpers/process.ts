/**
 * Portcullis as a real process (`node src/main.ts`), for what only a process shows: restarts, a second
 * instance, exits. It listens on a loopback port chosen here and is ready once /readyz answers 200.
 * It logs at level trace, and its output is captured for the log scan (test/setup/log-scan*.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { captureProcessOutput } from '../setup/log-scan-capture.ts';
import { freePort } from '../setup/test-database.ts';
import { testDatabaseName, testMongoUri } from './backends.ts';
import { CHEAP_ARGON2, TEST_BOOTSTRAP } from './server.ts';

const MAIN = new URL('../../src/main.ts', import.meta.url).pathname;

export interface PortcullisProcess {
  readonly issuer: string;
  readonly url: string;
  readonly child: ChildProcess;
  readonly output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Files two instances share: signing keys and the bootstrap file. */
export function sharedFiles(): { keysDir: string; bootstrapFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-proc-'));
  const bootstrapFile = join(dir, 'bootstrap.json');
  writeFileSync(bootstrapFile, JSON.stringify(TEST_BOOTSTRAP));
  return { keysDir: join(dir, 'keys'), bootstrapFile };
}

export async function startPortcullis(options: {
  mongodbUri: string;
  keysDir: string;
  bootstrapFile: string;
  port?: number;
  issuer?: string;
  env?: Record<string, string>;
}): Promise<PortcullisProcess> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const issuer = options.issuer ?? url;
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'development',
      PORT: String(port),
      HOST: '127.0.0.1',
      ISSUER: issuer,
      MONGODB_URI: options.mongodbUri,
      KEYS_DIR: options.keysDir,
      BOOTSTRAP_FILE: options.bootstrapFile,
      COOKIE_SECRETS: 'process-test-cookie-secret-0123456789abcdef',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'trace',
      ARGON2_MEMORY_KIB: String(CHEAP_ARGON2.memoryCost),
      ARGON2_TIME_COST: String(CHEAP_ARGON2.timeCost),
      // A loaded test machine can take seconds for one write; only the outage test wants 503s, and sets its own.
      MONGODB_OPERATION_TIMEOUT_MS: '20000',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const captured = captureProcessOutput(`process-${child.pid}`);
  const collect = (d: Buffer) => {
    output += d.toString();
    captured?.write(d);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  child.once('close', () => captured?.end());
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`portcullis exited with ${child.exitCode}: ${output}`);
    const ready = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`portcullis did not become ready: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    issuer,
    url,
    child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Processes of one test file on a database of its own, sharing KEYS_DIR and the bootstrap file. */
export interface ProcessGroup {
  readonly mongodbUri: string;
  start(options?: { port?: number; issuer?: string; env?: Record<string, string> }): Promise<PortcullisProcess>;
  /** For afterAll: kills every process still running and drops the database. */
  cleanup(): Promise<void>;
}

export function processGroup(): ProcessGroup {
  const dbName = testDatabaseName();
  const mongodbUri = `${testMongoUri()}${dbName}`;
  const files = sharedFiles();
  const running: PortcullisProcess[] = [];
  return {
    mongodbUri,
    start: async (options = {}) => {
      const proc = await startPortcullis({ mongodbUri, ...files, ...options });
      running.push(proc);
      return proc;
    },
    cleanup: async () => {
      await Promise.all(running.map((p) => p.stop('SIGKILL')));
      const client = new MongoClient(testMongoUri());
      await client.connect();
      await client.db(dbName).dropDatabase();
      await client.close();
    },
  };
}
