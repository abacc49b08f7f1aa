/**
 * A Store decorator that times every call to every port and counts the ones that fail, by port and
 * operation (`accounts` + `findByEmail`; an oidc-provider model's store is `models.<Model>`). It sits
 * between the backend and everything else (app.ts), so every backend is measured the same way and no
 * backend knows it is measured. A failure is counted and passed on unchanged.
 *
 * Each port is wrapped with a Proxy, so every method it has — today's and any added to ports.ts later —
 * is measured, and methods run on the backend's own object (its private fields intact).
 */
import type { ModelStore, ModelStores, Store } from './ports.ts';

/** What the decorator reports to (http/metrics.ts `Metrics` provides it). */
export interface StoreMetrics {
  /** Starts timing one call; the result ends it, `true` when the call threw or rejected. */
  storeOperation(port: string, operation: string): (failed: boolean) => void;
}

function measured(end: (failed: boolean) => void, call: () => unknown): unknown {
  let result: unknown;
  try {
    result = call();
  } catch (err) {
    end(true);
    throw err;
  }
  if (!(result instanceof Promise)) {
    end(false);
    return result;
  }
  return result.then(
    (value: unknown) => {
      end(false);
      return value;
    },
    (err: unknown) => {
      end(true);
      throw err;
    },
  );
}

function instrumentPort<T extends object>(port: T, name: string, metrics: StoreMetrics): T {
  const wrapped = new Map<string, unknown>();
  return new Proxy(port, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      let method = wrapped.get(property);
      if (!method) {
        const fn = value as (...args: unknown[]) => unknown;
        method = (...args: unknown[]) => measured(metrics.storeOperation(name, property), () => fn.apply(target, args));
        wrapped.set(property, method);
      }
      return method;
    },
  });
}

function instrumentModels(models: ModelStores, metrics: StoreMetrics): ModelStores {
  const stores = new Map<string, ModelStore>();
  return {
    model(name) {
      let store = stores.get(name);
      if (!store) {
        store = instrumentPort(models.model(name), `models.${name}`, metrics);
        stores.set(name, store);
      }
      return store;
    },
  };
}

/** The same store, measured; any extra a backend has (MongoStore's `db`) is kept as it is. */
export function instrumentStore<S extends Store>(store: S, metrics: StoreMetrics): S {
  const port = <T extends object>(target: T, name: string) => instrumentPort(target, name, metrics);
  // Typed as Store, so a port added to ports.ts fails to compile until it is listed here.
  const instrumented: Store = {
    kind: store.kind,
    models: instrumentModels(store.models, metrics),
    accounts: port(store.accounts, 'accounts'),
    clients: port(store.clients, 'clients'),
    resourceServers: port(store.resourceServers, 'resourceServers'),
    deviceSessions: port(store.deviceSessions, 'deviceSessions'),
    loginAttempts: port(store.loginAttempts, 'loginAttempts'),
    securityEvents: port(store.securityEvents, 'securityEvents'),
    rateLimits: port(store.rateLimits, 'rateLimits'),
    ping: () => measured(metrics.storeOperation('store', 'ping'), () => store.ping()) as Promise<void>,
    close: () => store.close(),
  };
  return { ...store, ...instrumented };
}
