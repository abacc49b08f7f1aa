/**
 * The one composition root. `createDependencies` builds the real parts from the configuration (store,
 * hasher, logger, signing keys); `createApp` wires them into the Koa app with oidc-provider mounted.
 * Tests call `createApp` with their own parts (memory store, cheap argon2, fixed keys).
 */
import Koa from 'koa';
import mount from 'koa-mount';
import type { default as Provider } from 'oidc-provider';
import { checkNewPassword, createArgon2Hasher, createAuthenticator, createLoginThrottle, type PasswordHasher } from './accounts/index.ts';
import { applyBootstrap, clientValidator, type BootstrapInput, type BootstrapSummary } from './bootstrap/index.ts';
import type { Config } from './config/index.ts';
import { createPageRenderer, errorBoundary, healthRoutes, staticRoutes } from './http/index.ts';
import { interactionRoutes } from './interactions/index.ts';
import { createLogger, type Logger } from './logging/index.ts';
import { createProvider, toProviderClientMetadata } from './oidc/index.ts';
import { createCsrf, securityHeaders } from './security/index.ts';
import { accountClientMetadata, accountRoutes, trackDeviceSessions } from './account-console/index.ts';
import { loadSigningKeys, type PrivateSigningKey } from './signing/index.ts';
import { createMemoryStore, type Clock, type Store } from './store/index.ts';
import { connectWithRetry, createMongoStore, describeHosts, ensureIndexes } from './store/mongo/index.ts';

export interface AppDeps {
  readonly store: Store;
  readonly hasher: PasswordHasher;
  readonly logger: Logger;
  readonly keys: readonly PrivateSigningKey[];
  /** What login throttling reads the time from (default `Date.now`); oidc-provider keeps real time. */
  readonly clock?: Clock;
}

export interface PortcullisApp {
  readonly koa: Koa;
  readonly provider: Provider;
  readonly deps: AppDeps;
  /** Upserts clients, users and resource servers (the bootstrap file format). */
  bootstrap(source: string, input: BootstrapInput): Promise<BootstrapSummary>;
  close(): Promise<void>;
}

/** The configured store: MongoDB when MONGODB_URI is set (indexes ensured in dev mode), else memory. */
export async function createStore(config: Config, logger: Logger): Promise<Store> {
  if (!config.mongodbUri) return createMemoryStore();
  const client = await connectWithRetry({
    uri: config.mongodbUri,
    ...config.mongodb,
    onRetry: (attempt, delayMs) => logger.warn({ attempt, delayMs, hosts: describeHosts(config.mongodbUri ?? '') }, 'MongoDB unreachable, retrying'),
  });
  const store = createMongoStore(client);
  if (config.mode === 'development') await ensureIndexes(store.db, (message) => logger.warn(message));
  return store;
}

/** Builds the real parts from the configuration. */
export async function createDependencies(config: Config, logger: Logger = createLogger(config.logLevel)): Promise<AppDeps> {
  const keys = await loadSigningKeys({
    dir: config.keysDir,
    allowGenerate: config.mode === 'development',
    warn: (message) => logger.warn(message),
  });
  return { store: await createStore(config, logger), hasher: createArgon2Hasher(config.argon2), logger, keys };
}

export function createApp(config: Config, deps: AppDeps): PortcullisApp {
  const { store, hasher, logger, keys } = deps;
  const { productName, logoUrl, brandColor } = config.branding;
  const pages = createPageRenderer({ productName, logoUrl, cache: config.mode === 'production' });
  const provider = createProvider({ config, store, keys, pages, logger, builtInClients: [accountClientMetadata(config.issuer)] });
  const csrf = createCsrf(config.cookieSecrets.keys);
  const authenticator = createAuthenticator(store.accounts, hasher);
  const throttle = createLoginThrottle({ attempts: store.loginAttempts, clock: deps.clock ?? Date.now, policy: config.loginThrottle });

  const koa = new Koa({ keys: [...config.cookieSecrets.keys], proxy: config.trustProxy });
  const interactions = interactionRoutes({ provider, pages, authenticator, throttle, store, logger, csrf });
  const tracking = { deviceSessions: store.deviceSessions, sessionTtlSeconds: config.ttl.session, clock: deps.clock ?? Date.now, logger };
  trackDeviceSessions(provider, tracking);
  const account = accountRoutes({ provider, pages, csrf, issuer: config.issuer, tracking, store, hasher, logger, checkNewPassword });
  const health = healthRoutes({ ping: () => store.ping(), keysLoaded: () => keys.length > 0 });
  const assets = staticRoutes({ brandColor });

  koa.use(errorBoundary({ logger, pages }));
  koa.use(securityHeaders({ hsts: config.mode === 'production', logoUrl }));
  koa.use(health.routes());
  koa.use(assets.routes());
  koa.use(interactions.routes());
  koa.use(account.routes());
  koa.use(mount(provider));

  const validateClient = clientValidator(provider, toProviderClientMetadata);
  return {
    koa,
    provider,
    deps,
    bootstrap: (source, input) => applyBootstrap(source, input, { store, hasher, validateClient }),
    close: () => store.close(),
  };
}
