/**
 * Portcullis as a real process (`node src/main.ts`), for what only a process shows: restarts, a second
 * instance, exits. It listens on a loopback port chosen here and is ready once /readyz answers 200.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../setup/test-database.ts';
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
      LOG_LEVEL: 'warn',
      ARGON2_MEMORY_KIB: String(CHEAP_ARGON2.memoryCost),
      ARGON2_TIME_COST: String(CHEAP_ARGON2.timeCost),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
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
