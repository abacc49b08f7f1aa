/** The admin CLI as a user runs it: a child process, arguments, stdout, exit code. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = new URL('../../src/cli/index.ts', import.meta.url).pathname;

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('keys generate writes 0600 private keys; keys list shows only public parts', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'pc-cli-')), 'keys');
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

test.each([[['bogus']], [['keys']], [['keys', 'explode']], [[]]])('bad arguments %o: one line, exit code 2', (args) => {
  const r = cli(args);
  expect(r.code).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^portcullis: .*usage: npm run cli --/);
});
