/**
 * store/instrumented.ts: every port method is timed by port and operation and run on the backend's own
 * object; a failure (rejected or thrown) is counted and passed on unchanged; model stores are labelled
 * `models.<Model>`; a backend's extras are kept.
 */
import { createMetrics, type Metrics } from '../../src/http/metrics.ts';
import { createMemoryStore, type ClientStore, type Store } from '../../src/store/index.ts';
import { instrumentStore } from '../../src/store/instrumented.ts';

async function counts(metrics: Metrics, name: string): Promise<Record<string, number>> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const out: Record<string, number> = {};
  // A counter's values, or a histogram's `_count` series (not its buckets and sums).
  for (const v of (await metric.get()).values) {
    const series = (v as { metricName?: string }).metricName;
    if (series !== undefined && !series.endsWith('_count')) continue;
    out[`${String(v.labels.port)}.${String(v.labels.operation)}`] = v.value;
  }
  return out;
}
const timings = (metrics: Metrics) => counts(metrics, 'portcullis_store_operation_duration_seconds');
const errors = (metrics: Metrics) => counts(metrics, 'portcullis_store_operation_errors_total');

test('each call is timed by port and operation, model stores as models.<Model>', async () => {
  const metrics = createMetrics({ processMetrics: false });
  const store = instrumentStore(createMemoryStore(), metrics);
  await store.accounts.upsertByEmail({ email: 'a@example.com', emailVerified: true, name: undefined, passwordHash: 'x' });
  expect(await store.accounts.findByEmail('a@example.com')).toMatchObject({ email: 'a@example.com' });
  await store.accounts.findByEmail('b@example.com');
  await store.models.model('Session').upsert('s1', { uid: 'u1' }, 60);
  expect(await store.models.model('Session').findByUid('u1')).toMatchObject({ uid: 'u1' });
  await store.ping();

  expect(await timings(metrics)).toEqual({
    'accounts.upsertByEmail': 1,
    'accounts.findByEmail': 2,
    'models.Session.upsert': 1,
    'models.Session.findByUid': 1,
    'store.ping': 1,
  });
  expect(await errors(metrics)).toEqual({});
  // One measured model store per model, like the backend's.
  expect(store.models.model('Grant')).toBe(store.models.model('Grant'));
  expect(store.accounts.findById).toBe(store.accounts.findById);
});

test('a failure is counted, timed, and passed on as it was: rejected or thrown', async () => {
  const metrics = createMetrics({ processMetrics: false });
  const rejected = new Error('database gone');
  const thrown = new TypeError('bad argument');
  const clients: ClientStore = {
    find: () => Promise.reject(rejected),
    upsert: () => {
      throw thrown;
    },
    list: async () => [],
    remove: async () => false,
  };
  const store = instrumentStore({ ...createMemoryStore(), clients }, metrics);
  await expect(store.clients.find('app')).rejects.toBe(rejected);
  expect(() => store.clients.upsert({ client_id: 'app' })).toThrow(thrown);
  await store.clients.list();

  expect(await errors(metrics)).toEqual({ 'clients.find': 1, 'clients.upsert': 1 });
  expect(await timings(metrics)).toEqual({ 'clients.find': 1, 'clients.upsert': 1, 'clients.list': 1 });
});

test("methods run on the backend's own object (private fields intact); extras such as MongoStore's db are kept", async () => {
  class Accounts {
    #calls = 0;
    async list() {
      this.#calls += 1;
      return [];
    }
    get calls() {
      return this.#calls;
    }
  }
  const accounts = new Accounts();
  const base = createMemoryStore();
  const backend = { ...base, accounts: accounts as unknown as Store['accounts'], db: { name: 'portcullis' } };
  const store = instrumentStore(backend, createMetrics({ processMetrics: false }));
  await store.accounts.list();
  expect(accounts.calls).toBe(1);
  expect((store.accounts as unknown as Accounts).calls).toBe(1);
  expect(store.db).toBe(backend.db);
  expect(store.kind).toBe('memory');
});
