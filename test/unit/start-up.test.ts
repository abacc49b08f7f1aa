/** The real entry point in a child process: production refusals are one line on stderr and exit 1. */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MAIN = new URL('../../src/main.ts', import.meta.url).pathname;

function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', PORT: '0', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
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
