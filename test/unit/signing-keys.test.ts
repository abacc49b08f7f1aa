import { mkdtempSync, statSync, readdirSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyFiles, KeyFileError, loadKeyFiles, loadSigningKeys, publicPart } from '../../src/signing/index.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'pc-keys-'));

test('dev mode generates RS256 and ES256 private keys with file mode 0600 on first start', async () => {
  const dir = join(tmp(), 'keys');
  const warnings: string[] = [];
  const keys = await loadSigningKeys({ dir, allowGenerate: true, warn: (m) => warnings.push(m) });
  expect(keys.map((k) => k.alg)).toEqual(['RS256', 'ES256']);
  for (const name of readdirSync(dir)) expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);
  expect(warnings).toEqual([expect.stringContaining('generated new signing keys')]);

  // Second start loads the same keys and generates nothing.
  const again = await loadSigningKeys({ dir, allowGenerate: true, warn: (m) => warnings.push(m) });
  expect(again.map((k) => k.kid)).toEqual(keys.map((k) => k.kid));
  expect(warnings).toHaveLength(1);
});

test('production refuses to start without persistent keys and says how to make them', async () => {
  await expect(loadSigningKeys({ dir: tmp(), allowGenerate: false, warn: () => {} })).rejects.toThrow(
    /no RS256 and ES256 signing key in KEYS_DIR .*: run `npm run cli -- keys generate`/,
  );
});

test('a key file readable by others is loaded with a warning', async () => {
  const dir = tmp();
  const [rsa] = await generateKeyFiles(dir);
  chmodSync(join(dir, `${rsa?.kid}.json`), 0o644);
  const warnings: string[] = [];
  await loadSigningKeys({ dir, allowGenerate: false, warn: (m) => warnings.push(m) });
  expect(warnings.join()).toMatch(/readable by other users/);
});

test('a broken key file is a clear error', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'bad.json'), '{"kty":"RSA"}');
  await expect(loadKeyFiles(dir)).rejects.toThrow(KeyFileError);
  await expect(loadKeyFiles(dir)).rejects.toThrow(/bad.json is not a private JWK/);
});

test('the published part of a key has no private members', async () => {
  const [rsa, ec] = await generateKeyFiles(tmp());
  for (const key of [rsa, ec]) {
    const pub = publicPart(key!);
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(pub).not.toHaveProperty(member);
    expect(pub.kid).toBe(key?.kid);
  }
});
