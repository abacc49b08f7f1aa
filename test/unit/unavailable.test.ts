/**
 * The one place driver outages become StoreUnavailable (store/mongo/unavailable.ts): which errors count,
 * that every other error passes through untouched, that the availability listener hears each change once,
 * and — with the real driver against a port where nothing listens — that a store call fails fast as
 * StoreUnavailable instead of hanging or leaking a driver error.
 */
import { MongoNetworkError, MongoNetworkTimeoutError, MongoServerError } from 'mongodb';
import { StoreUnavailable } from '../../src/store/unavailable.ts';
import { availabilityGuard, isUnreachable } from '../../src/store/mongo/unavailable.ts';
import { createClient, createMongoStore } from '../../src/store/mongo/index.ts';
import { freePort } from '../setup/test-database.ts';

test.each([
  ['a lost connection', new MongoNetworkError('connection 3 to 127.0.0.1:27017 closed')],
  ['a socket timeout', new MongoNetworkTimeoutError('connection 3 to 127.0.0.1:27017 timed out')],
  ['a primary stepping down', new MongoServerError({ message: 'not primary', code: 10107 })],
  ['no majority in time', new MongoServerError({ message: 'waiting for replication timed out', code: 64 })],
  ['a shutting-down server', new MongoServerError({ message: 'interrupted at shutdown', code: 11600 })],
  // Driver 7.9 lets Node's own error through for a write on a socket the server has closed.
  ['a write after the server closed the socket', Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' })],
])('%s is an outage', (_what, err) => {
  expect(isUnreachable(err)).toBe(true);
});

test.each([
  ['a duplicate key', new MongoServerError({ message: 'E11000 duplicate key error', code: 11000 })],
  ['a refused document', new MongoServerError({ message: 'Document failed validation', code: 121 })],
  ['a bug of ours', new TypeError('x is not a function')],
])('%s is not an outage', (_what, err) => {
  expect(isUnreachable(err)).toBe(false);
});

class Counter {
  #calls = 0;
  async next(fail?: Error): Promise<number> {
    this.#calls += 1;
    if (fail) throw fail;
    return this.#calls;
  }
  label(): string {
    return `counter at ${this.#calls}`;
  }
}

test('the guard maps outages, passes other errors through, and reports each change of availability once', async () => {
  const changes: boolean[] = [];
  const guard = availabilityGuard((available) => changes.push(available));
  const counter = guard(new Counter());

  expect(await counter.next()).toBe(1); // private fields still work behind the wrapper
  expect(counter.label()).toBe('counter at 1'); // a method that returns no promise is passed through

  const lost = new MongoNetworkError('connection closed');
  const failure = await counter.next(lost).catch((err: unknown) => err);
  expect(failure).toBeInstanceOf(StoreUnavailable);
  expect((failure as StoreUnavailable).cause).toBe(lost);
  await expect(counter.next(lost)).rejects.toBeInstanceOf(StoreUnavailable);

  const duplicate = new MongoServerError({ message: 'E11000 duplicate key error', code: 11000 });
  await expect(counter.next(duplicate)).rejects.toBe(duplicate);

  expect(await counter.next()).toBe(5);
  expect(await counter.next()).toBe(6);
  expect(changes).toEqual([false, true]);
});

test('StoreUnavailable has the shape oidc-provider and our error boundary render as 503 temporarily_unavailable', () => {
  const err = new StoreUnavailable(new MongoNetworkError('connection closed'));
  // oidc-provider: ctx.status = err.statusCode; an exposed error is { error: err.message, error_description }.
  expect(err).toMatchObject({ statusCode: 503, status: 503, expose: true, message: 'temporarily_unavailable', allow_redirect: false });
  expect(err.error_description).not.toMatch(/mongo|connection|127\.0\.0\.1/i);
  // One line for a log or the CLI, naming what the driver said.
  expect(err.stack).toBe('StoreUnavailable: MongoNetworkError: connection closed');
});

test('with the real driver and no server: store calls fail as StoreUnavailable, and readiness pings too', async () => {
  const port = await freePort(); // nothing listens there
  const client = createClient(`mongodb://127.0.0.1:${port}/portcullis`, 300, 300);
  const changes: boolean[] = [];
  const store = createMongoStore(client, Date.now, undefined, (available) => changes.push(available));
  try {
    await expect(store.clients.find('app')).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(store.models.model('RefreshToken').find('token')).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailable);
    expect(changes).toEqual([false]);
  } finally {
    await store.close();
  }
});

test('the client bounds every wait by the operation timeout and keeps majority, journaled writes', async () => {
  const client = createClient('mongodb://127.0.0.1:1/x', 700, 900);
  expect(client.options).toMatchObject({ serverSelectionTimeoutMS: 700, connectTimeoutMS: 900, socketTimeoutMS: 900, waitQueueTimeoutMS: 900 });
  expect(client.options.writeConcern).toMatchObject({ w: 'majority', journal: true, wtimeoutMS: 900 });
  await client.close();
});
