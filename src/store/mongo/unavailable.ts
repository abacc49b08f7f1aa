/**
 * Where the driver's "the database is not there" errors become the one StoreUnavailable
 * (store/unavailable.ts): every store object createMongoStore hands out is wrapped here, so no caller —
 * the oidc-provider adapter, login, the account page, readiness — ever sees a driver error for an
 * outage. Every other error (a duplicate key, a bad document) passes through unchanged.
 *
 * The driver reconnects by itself: its monitor keeps probing the server, and the next operation after
 * the server is back succeeds, so there is nothing to reset here (test/e2e/outage.test.ts).
 */
import {
  MongoError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoOperationTimeoutError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';
import type { ModelStore, ModelStores } from '../ports.ts';
import { StoreUnavailable } from '../unavailable.ts';

/**
 * Server error codes that mean "not now" rather than "not like this": shutdown, step-down, no
 * primary, time limits (https://github.com/mongodb/mongo/blob/master/src/mongo/base/error_codes.yml).
 */
const TRANSIENT_CODES = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  50, // MaxTimeMSExpired
  64, // WriteConcernFailed (wtimeoutMS: no majority acknowledgement in time)
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

/**
 * Socket errors from Node itself. The driver does not wrap every one: a write on a pooled connection the
 * server has just closed (killed) rejects with Node's own `EPIPE` "This socket has been ended by the
 * other party" (driver 7.9, cmap/connection.js writeCommand). Coming out of a store call, it can only be
 * the database connection.
 */
const SOCKET_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** True for an error that says the database could not be reached or did not answer in time. */
export function isUnreachable(err: unknown): boolean {
  if (err instanceof Error && !(err instanceof MongoError) && SOCKET_CODES.has(String((err as { code?: unknown }).code))) return true;
  if (
    err instanceof MongoServerSelectionError ||
    err instanceof MongoNetworkError || // MongoNetworkTimeoutError, MongoPoolClearedError too
    err instanceof MongoOperationTimeoutError ||
    err instanceof MongoTopologyClosedError || // closed by shutdown while a request was still waiting
    err instanceof MongoNotConnectedError
  ) {
    return true;
  }
  return err instanceof MongoError && typeof err.code === 'number' && TRANSIENT_CODES.has(err.code);
}

/** Tells whoever watches (the log) when the database stops and starts answering: once per change. */
export type AvailabilityListener = (available: boolean, cause?: unknown) => void;

interface Tracker {
  ok(): void;
  failed(err: unknown): never;
}

function tracker(listener: AvailabilityListener | undefined): Tracker {
  let available = true;
  return {
    ok() {
      if (available) return;
      available = true;
      listener?.(true);
    },
    failed(err) {
      if (!isUnreachable(err)) throw err;
      if (available) {
        available = false;
        listener?.(false, err);
      }
      throw new StoreUnavailable(err);
    },
  };
}

/**
 * The same object, each of its methods mapping an outage to StoreUnavailable. The store methods are all
 * async (store/ports.ts); a method that returns something else is passed through as it is.
 */
function guard<T extends object>(target: T, track: Tracker): T {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(obj, key) {
      const value: unknown = Reflect.get(obj, key, obj);
      if (typeof value !== 'function') return value;
      let fn = wrapped.get(key);
      if (!fn) {
        fn = (...args: unknown[]) => {
          const result: unknown = value.apply(obj, args);
          if (!(result instanceof Promise)) return result;
          return result.then(
            (v: unknown) => {
              track.ok();
              return v;
            },
            (err: unknown) => track.failed(err),
          );
        };
        wrapped.set(key, fn);
      }
      return fn;
    },
  });
}

export interface Guard {
  <T extends object>(target: T): T;
  models(stores: ModelStores): ModelStores;
}

/** One guard per store, so availability is tracked (and logged) for the store as a whole. */
export function availabilityGuard(listener?: AvailabilityListener): Guard {
  const track = tracker(listener);
  const wrap = <T extends object>(target: T): T => guard(target, track);
  return Object.assign(wrap, {
    models(stores: ModelStores): ModelStores {
      const cache = new Map<string, ModelStore>();
      return {
        model(name) {
          let store = cache.get(name);
          if (!store) {
            store = wrap(stores.model(name));
            cache.set(name, store);
          }
          return store;
        },
      };
    },
  });
}
