/**
 * The admin CLI as a user runs it: a child process, arguments, stdout, exit code. These need no
 * database: keys commands, bad arguments, and store commands without MONGODB_URI (cli-store.test.ts
 * runs the store commands).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = new URL('../../src/cli/index.ts', import.meta.url).pathname;

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const keysDir = () => join(mkdtempSync(join(tmpdir(), 'pc-cli-')), 'keys');

test('keys generate writes 0600 private keys; keys list shows only public parts', () => {
  const dir = keysDir();
  const gen = cli(['keys', 'generate'], { KEYS_DIR: dir });
  expect(gen.code).toBe(0);
  expect(gen.stdout).toMatch(/generated RS256 key/);
  const files = readdirSync(dir);
  expect(files).toHaveLength(2);
  for (const f of files) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);

  const list = cli(['keys', 'list', '--json'], { KEYS_DIR: dir });
  expect(list.code).toBe(0);
  const keys = JSON.parse(list.stdout) as Array<Record<string, unknown>>;
  expect(keys.map((k) => k.alg)).toEqual(['RS256', 'ES256']);
  for (const k of keys) expect(k).not.toHaveProperty('d');
});

test('keys generate --if-missing writes only what is missing, then nothing', () => {
  const dir = keysDir();
  expect(cli(['keys', 'generate', '--if-missing'], { KEYS_DIR: dir }).stdout).toMatch(/generated RS256 key[^]*generated ES256 key/);
  const again = cli(['keys', 'generate', '--if-missing'], { KEYS_DIR: dir });
  expect(again).toMatchObject({ code: 0, stdout: 'signing keys already present\n' });
  expect(cli(['keys', 'generate', '--if-missing', '--json'], { KEYS_DIR: dir }).stdout).toBe('[]\n');
  expect(readdirSync(dir)).toHaveLength(2);

  const [es256] = JSON.parse(cli(['keys', 'list', '--json'], { KEYS_DIR: dir }).stdout).filter((k: { alg: string }) => k.alg === 'ES256');
  rmSync(join(dir, `${es256.kid}.json`));
  const refill = cli(['keys', 'generate', '--if-missing', '--json'], { KEYS_DIR: dir });
  expect(JSON.parse(refill.stdout).map((k: { alg: string }) => k.alg)).toEqual(['ES256']);
  expect(readdirSync(dir)).toHaveLength(2);
});

test('help lists every command on stdout', () => {
  const help = cli(['help']);
  expect(help.code).toBe(0);
  for (const name of ['users add', 'users disable', 'clients rotate-secret', 'resources add', 'db migrate', 'keys generate']) {
    expect(help.stdout).toContain(`npm run cli -- ${name}`);
  }
});

test.each([
  [[]],
  [['bogus']],
  [['keys']],
  [['keys', 'explode']],
  [['keys', 'generate', '--bogus']],
  [['keys', 'list', 'extra']],
  [['users', 'add', '--password-stdin']],
  [['users', 'add', '--email', 'not-an-email', '--password-stdin']],
  [['users', 'add', '--email', 'ada@example.com']],
  [['users', 'disable']],
  [['clients', 'add', '--redirect-uri', 'https://app.example/cb']],
  [['clients', 'add', '--id', 'app']],
  [['clients', 'add', '--id', 'app', '--redirect-uri', 'not a url']],
  [['clients', 'add', '--id', 'app', '--redirect-uri', 'https://app.example/cb#fragment']],
  [['clients', 'add', '--id', 'app', '--redirect-uri', 'https://app.example/cb', '--grant-type', 'implicit']],
  [['clients', 'add', '--id', 'app', '--public', '--grant-type', 'client_credentials']],
  [['clients', 'remove', '--id']],
  [['resources', 'add', '--identifier', 'not-a-url', '--scope', 'api:read']],
  [['resources', 'add', '--identifier', 'https://api.example']],
  [['resources', 'add', '--identifier', 'https://api.example', '--scope', 'a', '--access-token-ttl', 'soon']],
  [['db', 'migrate', '--force']],
])('bad arguments %o: one line, exit code 2', (args) => {
  // MONGODB_URI points nowhere: arguments are checked before anything connects.
  const r = cli(args, { MONGODB_URI: 'mongodb://127.0.0.1:1/never', MONGODB_CONNECT_TIMEOUT: '0' });
  expect(r.code).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^portcullis: [^\n]+; usage: npm run cli --/);
  expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  expect(r.stdout).toBe('');
});

test.each([
  [['users', 'list']],
  [['users', 'add', '--email', 'ada@example.com', '--password-stdin']],
  [['clients', 'list', '--json']],
  [['resources', 'list']],
  [['db', 'migrate']],
])('store command %o without MONGODB_URI: one line, exit code 1', (args) => {
  const r = cli(args);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/^portcullis: MONGODB_URI is not set[^\n]*\n$/);
  expect(r.stdout).toBe('');
});
