/**
 * The admin CLI's store commands, run as a user runs them (a child process) against the test MongoDB:
 * one fresh database for this file, read back through the real store, dropped at the end.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import argon2 from 'argon2';
import { MongoClient } from 'mongodb';
import { createArgon2Hasher } from '../../src/accounts/index.ts';
import { createMongoStore, indexPlan, type MongoStore } from '../../src/store/mongo/index.ts';
import { testMongoUri } from '../helpers/backends.ts';
import { CHEAP_ARGON2, startTestServer } from '../helpers/server.ts';

const CLI = new URL('../../src/cli/index.ts', import.meta.url).pathname;
const DB_NAME = `portcullis_cli_${randomUUID().replace(/-/g, '').slice(0, 12)}`;

/** The test server's URI with this file's database as its path (the global setup's URI ends with '/'). */
const withDatabase = (uri: string, db: string) => uri.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]*)\/?[^?]*/, `$1/${db}`);

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  json<T = Record<string, unknown>>(): T;
}

function cli(args: string[], stdin = ''): Run {
  const env = {
    PATH: process.env.PATH ?? '',
    MONGODB_URI: withDatabase(testMongoUri(), DB_NAME),
    MONGODB_CONNECT_TIMEOUT: '5',
    ARGON2_MEMORY_KIB: String(CHEAP_ARGON2.memoryCost),
    ARGON2_TIME_COST: String(CHEAP_ARGON2.timeCost),
    LOG_LEVEL: 'silent',
  };
  const r = spawnSync(process.execPath, [CLI, ...args], { env, input: stdin, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

/** A refused command: exit `code` and exactly one line on stderr. */
function expectRefused(run: Run, code: 1 | 2, pattern: RegExp): void {
  expect(run.code).toBe(code);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(pattern);
}

let client: MongoClient;
let store: MongoStore;

beforeAll(async () => {
  client = new MongoClient(testMongoUri(), { serverSelectionTimeoutMS: 5000 });
  await client.connect();
  store = createMongoStore(client, Date.now, DB_NAME);
});

afterAll(async () => {
  await store.db.dropDatabase().catch(() => {});
  await client.close();
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');
const clientDocuments = async () => JSON.stringify(await store.db.collection('clients').find({}).toArray());

describe('users', () => {
  const PASSWORD = 'correct horse battery staple';

  test('add reads the password from stdin; list shows the normalized email and never a hash', async () => {
    const add = cli(['users', 'add', '--email', '  Grace@Example.COM ', '--name', 'Grace Hopper', '--password-stdin'], `${PASSWORD}\n`);
    expect(add.code).toBe(0);
    expect(add.stdout).toMatch(/created user grace@example\.com/);

    const list = cli(['users', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(list.json()).toEqual([expect.objectContaining({ email: 'grace@example.com', name: 'Grace Hopper', disabled: false })]);
    expect(list.stdout).not.toMatch(/argon2|passwordHash/i);

    const stored = await store.accounts.findByEmail('grace@example.com');
    const hasher = createArgon2Hasher(CHEAP_ARGON2);
    // One trailing newline is not part of the password.
    expect(await hasher.verify(stored?.passwordHash ?? '', PASSWORD)).toBe(true);
    expect(await hasher.verify(stored?.passwordHash ?? '', `${PASSWORD}\n`)).toBe(false);
  });

  test('add refuses an existing email (after normalization) and an empty password', () => {
    expectRefused(cli(['users', 'add', '--email', 'GRACE@example.com', '--password-stdin'], 'another long passphrase\n'), 1, /^portcullis: user grace@example\.com exists$/m);
    expectRefused(cli(['users', 'add', '--email', 'new@example.com', '--password-stdin'], '\n'), 2, /no password on stdin; usage:/);
  });

  test.each([
    ['too common', 'Password1\n', /^portcullis: The password is one of the most commonly used passwords, so it is easy to guess; usage: npm run cli -- users add/],
    ['too short', 'seven77\n', /^portcullis: The password must be at least 8 characters long \(15 or more is recommended\); usage:/],
    ['too long', `${'x'.repeat(257)}\n`, /^portcullis: The password must be at most 256 characters long; usage:/],
  ])('add refuses a password the policy refuses (%s): exit 2, one line, nobody created', async (_, stdin, message) => {
    expectRefused(cli(['users', 'add', '--email', 'weak@example.com', '--password-stdin'], stdin), 2, message);
    expect(await store.accounts.findByEmail('weak@example.com')).toBeUndefined();
  });

  test('add stores the NFC form of the password', async () => {
    expect(cli(['users', 'add', '--email', 'nfc@example.com', '--password-stdin'], 'a fine passphrase, cafe\u0301\n').code).toBe(0);
    const stored = await store.accounts.findByEmail('nfc@example.com');
    // argon2 itself, not the hasher (which would normalize what it is given).
    expect(await argon2.verify(stored?.passwordHash ?? '', 'a fine passphrase, caf\u00e9')).toBe(true);
  });

  test('disable stops the account; an unknown email is refused', async () => {
    expect(cli(['users', 'disable', '--email', 'Grace@example.com']).code).toBe(0);
    expect((await store.accounts.findByEmail('grace@example.com'))?.disabled).toBe(true);
    expectRefused(cli(['users', 'disable', '--email', 'nobody@example.com']), 1, /no user nobody@example\.com/);
  });
});

describe('clients', () => {
  let secret: string;

  test('add prints a generated secret once; the database holds only its SHA-256 digest', async () => {
    const text = cli(['clients', 'add', '--id', 'texty', '--redirect-uri', 'https://texty.example/cb']);
    expect(text.code).toBe(0);
    const printed = /client_secret: (\S+)/.exec(text.stdout)?.[1] ?? '';
    expect(text.stdout.split(printed)).toHaveLength(2);

    const add = cli(['clients', 'add', '--id', 'svc', '--redirect-uri', 'https://svc.example/cb', '--grant-type', 'client_credentials', '--scope', 'openid api:read', '--json']);
    expect(add.code).toBe(0);
    const out = add.json();
    secret = String(out.client_secret);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(out).toMatchObject({ client_id: 'svc', token_endpoint_auth_method: 'client_secret_basic', scope: 'openid api:read' });
    expect(out).not.toHaveProperty('client_secret_digest');

    const documents = await clientDocuments();
    for (const s of [secret, printed]) expect(documents).not.toContain(s);
    expect((await store.clients.find('svc'))?.client_secret_digest).toBe(sha256(secret));
  });

  test('the printed secret authenticates at the token endpoint; rotate-secret replaces it', async () => {
    const srv = await startTestServer({ store: { ...store, close: async () => {} }, bootstrap: false });
    const token = (s: string) =>
      fetch(`${srv.issuer}/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`svc:${s}`).toString('base64')}` },
        body: new URLSearchParams({ grant_type: 'client_credentials' }),
      }).then((r) => r.status);
    try {
      expect(await token(secret)).toBe(200);
      const before = (await store.clients.find('svc'))?.client_secret_digest;
      const rotate = cli(['clients', 'rotate-secret', '--id', 'svc', '--json']);
      expect(rotate.code).toBe(0);
      const rotated = String(rotate.json().client_secret);
      expect(rotated).toMatch(/^[A-Za-z0-9_-]{43,}$/);
      const after = (await store.clients.find('svc'))?.client_secret_digest;
      expect(after).not.toBe(before);
      expect(after).toBe(sha256(rotated));
      expect(await clientDocuments()).not.toContain(rotated);
      expect(await token(rotated)).toBe(200);
      expect(await token(secret)).toBe(401);
    } finally {
      await srv.close();
    }
  });

  test('a public client has no secret, and rotate-secret refuses it', async () => {
    const add = cli(['clients', 'add', '--id', 'spa', '--public', '--redirect-uri', 'http://localhost:8080/cb', '--json']);
    expect(add.code).toBe(0);
    expect(add.json()).toMatchObject({ token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] });
    expect(add.json()).not.toHaveProperty('client_secret');
    expect(await store.clients.find('spa')).not.toHaveProperty('client_secret_digest');
    expectRefused(cli(['clients', 'rotate-secret', '--id', 'spa']), 1, /client spa uses none: it has no secret/);
  });

  test('list never shows a digest; add refuses an existing id and metadata oidc-provider refuses', async () => {
    const list = cli(['clients', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(list.json<Array<{ client_id: string }>>().map((c) => c.client_id)).toEqual(['spa', 'svc', 'texty']);
    expect(list.stdout).not.toContain('digest');
    expect(list.stdout).not.toContain(String((await store.clients.find('svc'))?.client_secret_digest));
    expectRefused(cli(['clients', 'add', '--id', 'svc', '--redirect-uri', 'https://x.example/cb']), 1, /client svc exists/);
    expectRefused(cli(['clients', 'add', '--id', 'mail', '--redirect-uri', 'mailto:a@example.com']), 2, /invalid client metadata: redirect_uris .*; usage:/);
  });

  test('remove deletes the client; an unknown id is refused', async () => {
    expect(cli(['clients', 'remove', '--id', 'texty']).code).toBe(0);
    expect(await store.clients.find('texty')).toBeUndefined();
    expectRefused(cli(['clients', 'remove', '--id', 'texty']), 1, /no client texty/);
    expectRefused(cli(['clients', 'rotate-secret', '--id', 'texty']), 1, /no client texty/);
  });
});

describe('resources', () => {
  test('add takes repeated and space-separated scopes; list shows them', async () => {
    const add = cli(['resources', 'add', '--identifier', 'https://api.example', '--scope', 'api:read api:write', '--scope', 'api:admin', '--access-token-ttl', '300']);
    expect(add.code).toBe(0);
    const list = cli(['resources', 'list', '--json']);
    expect(list.json()).toEqual([{ identifier: 'https://api.example', name: null, scopes: ['api:read', 'api:write', 'api:admin'], accessTokenTTL: 300 }]);
    expect(await store.resourceServers.find('https://api.example')).toMatchObject({ accessTokenTTL: 300 });
    expectRefused(cli(['resources', 'add', '--identifier', 'https://api.example', '--scope', 'x']), 1, /resource server https:\/\/api\.example exists/);
  });
});

describe('db migrate', () => {
  test('creates every index, says which option the server refused, and is idempotent', async () => {
    for (let run = 0; run < 2; run += 1) {
      const migrate = cli(['db', 'migrate', '--json']);
      expect(migrate.code).toBe(0);
      const out = migrate.json<{ database: string; created: number; degraded: string[] }>();
      expect(out).toMatchObject({ database: DB_NAME, created: indexPlan().length });
      // FerretDB refuses TTL indexes: the warning is one line on stderr, MongoDB gives none.
      expect(migrate.stderr.trim().split('\n').filter(Boolean)).toHaveLength(out.degraded.length > 0 ? 1 : 0);
    }
    const names = (await store.db.collection('accounts').listIndexes().toArray()).map((i) => i.name);
    expect(names).toContain('email_unique');
  });
});
