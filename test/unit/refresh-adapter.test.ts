/**
 * The RefreshToken adapter's grace window on its own (oidc/adapter.ts), over the memory store with a
 * hand-moved clock: what find() reports and when consume() succeeds, inside and outside the window —
 * and that authorization codes stay single-use whatever the grace.
 */
import type { Adapter } from 'oidc-provider';
import { createAdapterFactory } from '../../src/oidc/adapter.ts';
import { createMemoryStore, type ModelPayload, type ModelStores } from '../../src/store/index.ts';
import { MemoryModelStore } from '../../src/store/memory/models.ts';

const START = 1_700_000_000_000;

async function setup(grace: number, clientGrace?: number) {
  let now = START;
  const clock = () => now;
  const store = createMemoryStore(clock);
  await store.clients.upsert({
    client_id: 'app',
    ...(clientGrace === undefined ? {} : { refresh_token_reuse_grace_seconds: clientGrace }),
  });
  const adapters = createAdapterFactory(store.models, store.clients, { refreshTokenReuseGraceSeconds: grace, now: clock });
  const tokens = adapters('RefreshToken');
  await tokens.upsert('rt-1', { jti: 'rt-1', clientId: 'app', grantId: 'g-1', exp: START / 1000 + 3600 }, 3600);
  return { tokens, adapters, advance: (seconds: number) => (now += seconds * 1000) };
}

const refused = (adapter: Adapter, id: string) => adapter.consume(id).then(() => 'consumed', (err: { error?: string }) => err.error);

test('strict (grace 0): once consumed, find reports it and consume refuses', async () => {
  const { tokens } = await setup(0);
  await tokens.consume('rt-1');
  expect(typeof (await tokens.find('rt-1'))?.consumed).toBe('number');
  expect(await refused(tokens, 'rt-1')).toBe('invalid_grant');
});

test('within the window find hides `consumed` and consume succeeds again; after it, strict', async () => {
  const { tokens, advance } = await setup(30);
  await tokens.consume('rt-1');
  advance(30);
  expect((await tokens.find('rt-1'))?.consumed).toBeUndefined();
  expect(await refused(tokens, 'rt-1')).toBe('consumed');
  advance(1);
  expect(typeof (await tokens.find('rt-1'))?.consumed).toBe('number');
  expect(await refused(tokens, 'rt-1')).toBe('invalid_grant');
});

test('the client’s own grace overrides the deployment’s, both ways', async () => {
  const strictClient = await setup(30, 0);
  await strictClient.tokens.consume('rt-1');
  expect(await refused(strictClient.tokens, 'rt-1')).toBe('invalid_grant');

  const lenientClient = await setup(0, 10);
  await lenientClient.tokens.consume('rt-1');
  expect(await refused(lenientClient.tokens, 'rt-1')).toBe('consumed');
});

test('a revoked or unknown token is refused, grace or not', async () => {
  const { tokens } = await setup(30);
  await tokens.consume('rt-1');
  await tokens.revokeByGrantId('g-1');
  expect(await tokens.find('rt-1')).toBeUndefined();
  expect(await refused(tokens, 'rt-1')).toBe('invalid_grant');
  expect(await refused(tokens, 'never-issued')).toBe('invalid_grant');
});

test('authorization codes stay single-use whatever the refresh grace', async () => {
  const { adapters } = await setup(60, 60);
  const codes = adapters('AuthorizationCode');
  await codes.upsert('code-1', { jti: 'code-1', clientId: 'app', grantId: 'g-1' }, 60);
  const results = await Promise.all(Array.from({ length: 20 }, () => refused(codes, 'code-1')));
  expect(results.filter((r) => r === 'consumed')).toHaveLength(1);
  expect(typeof (await codes.find('code-1'))?.consumed).toBe('number');
});

/** A store whose consume lost to a concurrent winner that marks the record only a little later (MongoDB). */
class LateMarkingStore extends MemoryModelStore {
  #reads = 0;
  readonly #markAfterReads: number | undefined;

  constructor(markAfterReads: number | undefined) {
    super(() => START);
    this.#markAfterReads = markAfterReads;
  }

  override async consume(): Promise<boolean> {
    return false;
  }

  override async find(id: string): Promise<ModelPayload | undefined> {
    const found = await super.find(id);
    this.#reads += 1;
    if (!found) return found;
    const marked = this.#markAfterReads !== undefined && this.#reads > this.#markAfterReads;
    return { ...found, consumed: marked ? Math.floor(START / 1000) : undefined };
  }
}

test.each([
  ['succeeds once the winner marks the record', 2, 'consumed'],
  ['is refused when the record is never marked', undefined, 'invalid_grant'],
])('a consume that loses the race inside the window %s', async (_what, markAfterReads, outcome) => {
  const memory = createMemoryStore(() => START);
  await memory.clients.upsert({ client_id: 'app', refresh_token_reuse_grace_seconds: 30 });
  const late = new LateMarkingStore(markAfterReads);
  const models: ModelStores = { model: () => late };
  const tokens = createAdapterFactory(models, memory.clients, { refreshTokenReuseGraceSeconds: 0, now: () => START })('RefreshToken');
  await tokens.upsert('rt-1', { jti: 'rt-1', clientId: 'app', grantId: 'g-1' }, 3600);
  expect(await refused(tokens, 'rt-1')).toBe(outcome);
});
