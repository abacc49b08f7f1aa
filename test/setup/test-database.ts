/**
 * Provisions the MongoDB the tests run against, in this order (DEVELOPERS: see README "Testing"):
 * 1. MONGODB_URI, when set;
 * 2. a `mongod` on PATH, else a `ferretdb` on PATH, started on a free loopback port in a temp folder;
 * 3. mongodb-memory-server (downloads a MongoDB build; works on a machine with internet);
 * 4. otherwise fail, saying exactly what to install.
 * The server's URI and how to restart it (for outage tests) reach the test files through the environment.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';

export interface TestDatabase {
  readonly uri: string;
  readonly kind: 'external' | 'mongod' | 'ferretdb' | 'mongodb-memory-server';
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function onPath(command: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

export async function waitForMongo(uri: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 500 });
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`test database at ${uri} did not answer: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await client.close().catch(() => {});
    }
  }
}

/** The command line that starts a local server on `port` with its data in `dir`. */
export function serverCommand(kind: 'mongod' | 'ferretdb', binary: string, port: number, dir: string): string[] {
  return kind === 'mongod'
    ? [binary, '--port', String(port), '--bind_ip', '127.0.0.1', '--dbpath', dir, '--quiet']
    : [
        binary,
        '--handler=sqlite',
        `--sqlite-url=file:${dir}/`,
        `--listen-addr=127.0.0.1:${port}`,
        '--debug-addr=-',
        '--telemetry=disable',
        `--state-dir=${dir}`,
        '--log-level=error',
      ];
}

export function startLocal(argv: string[]): ChildProcess {
  const [binary, ...args] = argv;
  const child = spawn(binary ?? '', args, { stdio: ['ignore', 'ignore', 'inherit'], detached: false });
  child.unref();
  return child;
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

export const INSTALL_HINT =
  'no MongoDB for the tests: set MONGODB_URI to a MongoDB you can use, or put `mongod` (MongoDB) or `ferretdb` ' +
  '(FerretDB v1.24.2 with SQLite, see README "Testing") on PATH, or let mongodb-memory-server download MongoDB (needs internet)';

export async function provisionTestDatabase(env: NodeJS.ProcessEnv = process.env): Promise<TestDatabase> {
  if (env.MONGODB_URI) {
    await waitForMongo(env.MONGODB_URI);
    return { uri: env.MONGODB_URI, kind: 'external', stop: async () => {} };
  }
  for (const kind of ['mongod', 'ferretdb'] as const) {
    const binary = onPath(kind);
    if (!binary) continue;
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), `portcullis-${kind}-`));
    const argv = serverCommand(kind, binary, port, dir);
    const child = startLocal(argv);
    const uri = `mongodb://127.0.0.1:${port}/`;
    await waitForMongo(uri);
    process.env.TEST_MONGODB_COMMAND = JSON.stringify(argv);
    return { uri, kind, stop: () => stopChild(child) };
  }
  try {
    const { MongoMemoryServer } = await import('mongodb-memory-server-core');
    const server = await MongoMemoryServer.create({ instance: { ip: '127.0.0.1' } });
    return { uri: server.getUri(), kind: 'mongodb-memory-server', stop: async () => void (await server.stop()) };
  } catch (err) {
    throw new Error(`${INSTALL_HINT} (mongodb-memory-server: ${(err as Error).message.split('\n')[0]})`);
  }
}

/** A database server of one test's own, which the test may kill and start again (test/e2e/outage.test.ts). */
export interface DedicatedDatabase {
  readonly uri: string;
  readonly kind: 'mongod' | 'ferretdb';
  /** Kills the server; its data folder stays. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open and nothing answers, as with a hung host. */
  pause(): void;
  /** Lets a paused server run again (SIGCONT). */
  resume(): void;
  /** Starts it again on the same port and data folder and waits until it answers. */
  restart(): Promise<void>;
  /** Stops it for good. */
  stop(): Promise<void>;
}

/** A `mongod`, else a `ferretdb`, from PATH on a free loopback port; undefined when neither is there. */
export async function startDedicatedDatabase(): Promise<DedicatedDatabase | undefined> {
  const found = (['mongod', 'ferretdb'] as const).map((k) => [k, onPath(k)] as const).find(([, path]) => path);
  if (!found) return undefined;
  const [kind, binary = ''] = found;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), `portcullis-dedicated-${kind}-`));
  const argv = serverCommand(kind, binary, port, dir);
  const uri = `mongodb://127.0.0.1:${port}/`;
  let child = startLocal(argv);
  await waitForMongo(uri);
  const kill = (signal: NodeJS.Signals = 'SIGKILL') =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  return {
    uri,
    kind,
    kill,
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    restart: async () => {
      await kill('SIGKILL');
      child = startLocal(argv);
      await waitForMongo(uri);
    },
    stop: () => {
      child.kill('SIGCONT');
      return stopChild(child);
    },
  };
}
