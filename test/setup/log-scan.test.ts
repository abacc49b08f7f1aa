/**
 * The log scan itself, on planted secrets in a folder of its own: it must fail when a secret is logged —
 * raw, JSON-escaped, as one segment of a JWT line or a passphrase — name the kind and the file, never
 * print the value, and pass on logs that only carry redacted or hashed values.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { assertNoSecretsLogged, readSecrets, scanLogs } from './log-scan.ts';

const ACCESS = 'eyJhbGciOiJFUzI1NiJ9.eyJqdGkiOiJhYmMiLCJzdWIiOiIxMjMiLCJzY29wZSI6ImFwaTpyZWFkIn0.QmFzZTY0U2lnbmF0dXJlVmFsdWVfMDEyMzQ1Njc4OQ';
const REFRESH = 'Xq3v9Lr_kP2mZ8wT-nB4yH6cJ1sD7fG0aE5uR9oI2lK';
const PASSWORD = 'correct "horse" battery staple';

function runFolder(logs: Record<string, string>, secrets: ReadonlyArray<{ kind: string; value: string }>): string {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-log-scan-'));
  mkdirSync(join(dir, 'logs'));
  mkdirSync(join(dir, 'secrets'));
  for (const [name, text] of Object.entries(logs)) writeFileSync(join(dir, 'logs', name), text);
  writeFileSync(join(dir, 'secrets', '1.jsonl'), secrets.map((s) => JSON.stringify(s)).join('\n') + '\n');
  return dir;
}

const line = (fields: Record<string, unknown>) => `${JSON.stringify({ level: 30, time: '2026-01-01T00:00:00.000Z', ...fields })}\n`;

const SECRETS = [
  { kind: 'access_token', value: ACCESS },
  { kind: 'refresh_token', value: REFRESH },
  { kind: 'password', value: PASSWORD },
];

test('passes when the logs carry only redacted and hashed values', () => {
  const dir = runFolder(
    {
      '1.jsonl': line({ event: 'token.issued', refresh_token: '[redacted]', session_sha256: createHash('sha256').update(REFRESH).digest('hex') }),
      'process-9.log': 'Portcullis is listening\n',
    },
    SECRETS,
  );
  expect(() => assertNoSecretsLogged(dir)).not.toThrow();
});

test('fails naming each kind of secret and the file it leaked into, never the value', () => {
  const dir = runFolder(
    {
      '1.jsonl': line({ msg: 'ok' }) + line({ msg: `refreshing with ${REFRESH}` }),
      '2.jsonl': line({ headers: { authorization: `Bearer ${ACCESS}` } }),
      // JSON escapes the quotes of the passphrase: the scan must look for both forms.
      'process-7.log': line({ body: { password: PASSWORD } }),
    },
    SECRETS,
  );
  const leaks = scanLogs(join(dir, 'logs'), readSecrets(join(dir, 'secrets')));
  expect(leaks.map((l) => [l.kind, l.file.split('/').at(-1), l.line]).sort()).toEqual([
    ['access_token', '2.jsonl', 1],
    ['password', 'process-7.log', 1],
    ['refresh_token', '1.jsonl', 2],
  ]);
  expect(() => assertNoSecretsLogged(dir, dir)).toThrow(/refresh_token in logs\/1\.jsonl \(line 2\)/);
  let message = '';
  try {
    assertNoSecretsLogged(dir, dir);
  } catch (err) {
    message = (err as Error).message;
  }
  for (const { value } of SECRETS) expect(message).not.toContain(value);
  expect(message).toMatch(/access_token in logs\/2\.jsonl/);
  expect(message).toMatch(/password in logs\/process-7\.log/);
});

test('the global teardown scans this run and throws on a leak', async () => {
  const dir = runFolder({ '1.jsonl': line({ msg: REFRESH }) }, SECRETS);
  // The scan half of the teardown only: the other half stops the shared test database, and when jest
  // runs in band this test shares the process (and globalThis) with the global setup.
  const { scanThisRun } = await import('./global-teardown.ts');
  const saved = process.env.TEST_ARTIFACTS_RUN_DIR;
  process.env.TEST_ARTIFACTS_RUN_DIR = dir;
  try {
    expect(() => scanThisRun()).toThrow(/log scan: a secret reached the logs: refresh_token in/);
  } finally {
    process.env.TEST_ARTIFACTS_RUN_DIR = saved;
  }
});
