/** The real entry point in a child process: production refusals are one line on stderr and exit 1. */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../setup/test-database.ts';

const MAIN = new URL('../../src/main.ts', import.meta.url).pathname;

function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

const SECRET = 'a-cookie-secret-that-is-long-enough-0123';

test('production refuses the memory store, naming MONGODB_URI', async () => {
  const { code, stderr } = await start({ NODE_ENV: 'production', ISSUER: 'https://id.example', COOKIE_SECRETS: SECRET });
  expect(code).toBe(1);
  expect(stderr.trim()).toMatch(/^portcullis: .*set MONGODB_URI/);
  expect(stderr.trim().split('\n')).toHaveLength(1);
});

test('production refuses an http issuer, naming ISSUER', async () => {
  const { code, stderr } = await start({ NODE_ENV: 'production', ISSUER: 'http://id.example', MONGODB_URI: 'mongodb://127.0.0.1:1/x', COOKIE_SECRETS: SECRET });
  expect(code).toBe(1);
  expect(stderr.trim()).toMatch(/set ISSUER to an https:\/\/ URL/);
});

test('a bad bootstrap file stops start-up with its path and the wrong field', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pc-'));
  const file = join(dir, 'bootstrap.json');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(file, JSON.stringify({ users: [{ email: 'not-an-email', password: 'x' }] }));
  const { code, stderr } = await start({ BOOTSTRAP_FILE: file, KEYS_DIR: join(dir, 'keys'), SEED_DEMO: 'false' });
  expect(code).toBe(1);
  expect(stderr).toContain(file);
  expect(stderr).toContain('users[0].email');
});

test('MongoDB unreachable at start-up: retries, then one line naming the host and never the password', async () => {
  const port = await freePort(); // nothing listens there
  const dir = mkdtempSync(join(tmpdir(), 'pc-'));
  const { code, stderr, stdout } = await start({
    MONGODB_URI: `mongodb://admin:hunter2-secret@127.0.0.1:${port}/portcullis`,
    MONGODB_CONNECT_TIMEOUT: '2',
    MONGODB_SERVER_SELECTION_TIMEOUT_MS: '300',
    KEYS_DIR: join(dir, 'keys'),
    LOG_LEVEL: 'warn',
  });
  expect(code).toBe(1);
  const last = stderr.trim().split('\n').at(-1) ?? '';
  expect(last).toMatch(new RegExp(`^portcullis: cannot reach MongoDB at 127\\.0\\.0\\.1:${port} after 2 s`));
  expect(stdout).toContain('MongoDB unreachable, retrying');
  expect(stderr + stdout).not.toContain('hunter2-secret');
});

test('a malformed MONGODB_URI is one line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pc-'));
  const { code, stderr } = await start({ MONGODB_URI: 'postgres://user:pw-secret@db/x', KEYS_DIR: join(dir, 'keys') });
  expect(code).toBe(1);
  expect(stderr.trim()).toMatch(/^portcullis: MONGODB_URI is not a valid MongoDB connection string/);
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toContain('pw-secret');
});
