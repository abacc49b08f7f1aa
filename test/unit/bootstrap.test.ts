import { applyBootstrap, BootstrapError, demoBootstrap } from '../../src/bootstrap/index.ts';
import { createArgon2Hasher } from '../../src/accounts/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { CHEAP_ARGON2, startTestServer, TEST_BOOTSTRAP } from '../helpers/server.ts';

test('applying the same file twice changes nothing and keeps account ids', async () => {
  const srv = await startTestServer({ bootstrap: false });
  try {
    await srv.app.bootstrap('t', TEST_BOOTSTRAP);
    const [first] = await srv.store.accounts.list();
    await srv.app.bootstrap('t', TEST_BOOTSTRAP);
    const accounts = await srv.store.accounts.list();
    expect(accounts).toHaveLength(1);
    expect(accounts[0]?.id).toBe(first?.id);
    expect(accounts[0]?.passwordHash).toBe(first?.passwordHash);
    expect(await srv.store.clients.list()).toHaveLength(2);
    expect(await srv.store.resourceServers.list()).toHaveLength(1);
  } finally {
    await srv.close();
  }
});

test('passwords are stored as argon2id hashes; a ready argon2id hash is taken as is', async () => {
  const store = createMemoryStore();
  const hasher = createArgon2Hasher(CHEAP_ARGON2);
  const ready = await hasher.hash('ready-made password');
  await applyBootstrap(
    't',
    { users: [{ email: ' Ada@Example.COM ', password: 'plain password' }, { email: 'b@example.com', passwordHash: ready }] },
    { store, hasher, validateClient: async () => {} },
  );
  const ada = await store.accounts.findByEmail('ada@example.com');
  expect(ada?.passwordHash).toMatch(/^\$argon2id\$/);
  expect(ada?.passwordHash).not.toContain('plain password');
  expect((await store.accounts.findByEmail('b@example.com'))?.passwordHash).toBe(ready);
});

test.each([
  [{ users: [{ email: 'x@example.com' }] }, /users\[0\]: give exactly one of password or passwordHash/],
  [{ users: [{ email: 'nope', password: 'a long enough passphrase' }] }, /users\[0\]\.email/],
  [{ resourceServers: [{ identifier: 'not a url', scopes: ['a'] }] }, /resourceServers\[0\]\.identifier/],
  [{ clients: [{ client_id: 'c', client_secret: 'short', redirect_uris: [] }] }, /clients\[0\]\.client_secret: must be at least 32/],
  [{ client: [] }, /Unrecognized key/],
])('a bad file names the field: %o', async (input, message) => {
  const store = createMemoryStore();
  const run = applyBootstrap('BOOTSTRAP_FILE b.json', input as never, { store, hasher: createArgon2Hasher(CHEAP_ARGON2), validateClient: async () => {} });
  await expect(run).rejects.toThrow(BootstrapError);
  await expect(run).rejects.toThrow(message);
});

test('client metadata oidc-provider refuses stops the bootstrap, naming the client, before anything is written', async () => {
  const srv = await startTestServer({ bootstrap: false });
  try {
    const bad = { clients: [{ client_id: 'bad', token_endpoint_auth_method: 'none', redirect_uris: ['not a uri'] }], users: [{ email: 'u@example.com', password: 'a long enough passphrase' }] };
    await expect(srv.app.bootstrap('BOOTSTRAP_FILE b.json', bad)).rejects.toThrow(/clients\[0\] \(bad\): redirect_uris/);
    expect(await srv.store.accounts.list()).toEqual([]);
  } finally {
    await srv.close();
  }
});

test('the dev demo seed is valid for the provider', async () => {
  const srv = await startTestServer({ bootstrap: false });
  try {
    await expect(srv.app.bootstrap('demo', demoBootstrap(srv.issuer))).resolves.toEqual({ clients: 1, users: 1, resourceServers: 1 });
  } finally {
    await srv.close();
  }
});
