/** `keys rotate` and `keys list` as an operator runs them (no store needed). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = new URL('../../src/cli/index.ts', import.meta.url).pathname;
const cli = (args: string[], keysDir: string) =>
  spawnSync(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', KEYS_DIR: keysDir, KEYS_PREPUBLISH_SECONDS: '600' }, encoding: 'utf8' });

test('keys rotate adds next keys, keys list shows each state; a second rotate waits', () => {
  const keysDir = join(mkdtempSync(join(tmpdir(), 'pc-cli-keys-')), 'keys');
  expect(cli(['keys', 'generate'], keysDir).status).toBe(0);
  const rotated = cli(['keys', 'rotate', '--json'], keysDir);
  expect(rotated.status).toBe(0);
  const result = JSON.parse(rotated.stdout) as { added: Array<{ kid: string; activateAt: string }>; retiring: unknown[] };
  expect(result.added).toHaveLength(2);
  expect(result.retiring).toHaveLength(2);
  expect(Date.parse(result.added[0]?.activateAt ?? '') - Date.now()).toBeGreaterThan(590_000);

  const listed = JSON.parse(cli(['keys', 'list', '--json'], keysDir).stdout) as Array<{ kid: string; state: string; d?: string }>;
  expect(listed.map((k) => k.state).sort()).toEqual(['current', 'current', 'next', 'next']);
  for (const k of listed) expect(k.d).toBeUndefined();

  const again = cli(['keys', 'rotate'], keysDir);
  expect(again.status).toBe(1);
  expect(again.stderr.trim().split('\n')).toHaveLength(1);
  expect(again.stderr).toMatch(/still waiting to activate/);
});
