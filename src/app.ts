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
import { createPageRenderer, drainUnreadBody, errorBoundary, healthRoutes, jwksRoutes, staticRoutes } from './http/index.ts';
import { createMetrics, type Metrics } from './http/metrics.ts';
import { observeRequests } from './http/metrics-http.ts';
import { countLoginOutcomes } from './http/metrics-login.ts';
import { metricsApp, metricsRoutes } from './http/metrics-routes.ts';
import { requestId } from './http/request-id.ts';
import { interactionRoutes } from './interactions/index.ts';
import { createLogger, type Logger } from './logging/index.ts';
import { createProvider, createProviderHandle, dropResumeQuery, toProviderClientMetadata } from './oidc/index.ts';
import { createCsrf, createSecurityEvents, securityHeaders, type SecurityEvents } from './security/index.ts';
import { createRateLimiter } from './security/rate-limit.ts';
import { rateLimits } from './security/rate-limit-middleware.ts';
import { accountClientMetadata, accountRoutes, trackDeviceSessions } from './account-console/index.ts';
import { keySteps, loadSigningKeys, rotationTimes, startAutoRotation, startKeyRing, type KeyRing, type PrivateSigningKey } from './signing/index.ts';
import { createMemoryStore, type Clock, type Store } from './store/index.ts';
import { connectWithRetry, createMongoStore, describeHosts, ensureIndexes } from './store/mongo/index.ts';
import { instrumentStore } from './store/instrumented.ts';

export interface AppDeps {
  readonly store: Store;
  readonly hasher: PasswordHasher;
  readonly logger: Logger;
  readonly keys: readonly PrivateSigningKey[];
  /** KEYS_DIR as it changes (rotation steps); without one the keys above stay fixed (tests). */
  readonly keyRing?: KeyRing;
  /** What login throttling reads the time from (default `Date.now`); oidc-provider keeps real time. */
  readonly clock?: Clock;
}

export interface PortcullisApp {
  readonly koa: Koa;
  readonly provider: Provider;
  readonly deps: AppDeps;
  /** The security event log (security/events.ts): `events.emit('key.activated', { kid, alg })` and the like. */
  readonly events: SecurityEvents;
  /** Prometheus metrics (http/metrics.ts); `metrics.rateLimited(endpoint)` counts a rate-limit refusal. */
  readonly metrics: Metrics;
  /** With METRICS_PORT: the app serving only /metrics, for a listener of its own (main.ts). */
  readonly metricsKoa: Koa | undefined;
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
  // One line when MongoDB stops answering and one when it is back; the requests in between answer 503.
  const store = createMongoStore(client, Date.now, undefined, (available, cause) =>
    available
      ? logger.info({ hosts: describeHosts(config.mongodbUri ?? '') }, 'MongoDB answers again; requests are served')
      : logger.error({ err: cause, hosts: describeHosts(config.mongodbUri ?? '') }, 'MongoDB unreachable; requests answer 503 temporarily_unavailable until it returns'),
  );
  if (config.mode === 'development') await ensureIndexes(store.db, (message) => logger.warn(message));
  return store;
}

/** Builds the real parts from the configuration. */
export async function createDependencies(config: Config, logger: Logger = createLogger(config.logLevel)): Promise<AppDeps> {
  await loadSigningKeys({
    dir: config.keysDir,
    allowGenerate: config.mode === 'development',
    warn: (message) => logger.warn(message),
  });
  const keyRing = await startKeyRing({
    dir: config.keysDir,
    pollMs: config.keyRotation.pollSeconds * 1000,
    onError: (err) => logger.error({ err }, 'reading KEYS_DIR failed; keeping the keys in use'),
  });
  const store = await createStore(config, logger);
  return { store, hasher: createArgon2Hasher(config.argon2), logger, keys: keyRing.keys, keyRing };
}

export function createApp(config: Config, deps: AppDeps): PortcullisApp {
  const { hasher, logger, keys } = deps;
  const metricsServed = config.metrics.port !== undefined || config.metrics.token !== undefined;
  const metrics = createMetrics({ processMetrics: metricsServed });
  // Every module below gets the measured store: each port call is timed by port and operation.
  const store = instrumentStore(deps.store, metrics);
  const { productName, logoUrl, brandColor } = config.branding;
  const pages = createPageRenderer({ productName, logoUrl, cache: config.mode === 'production' });
  const events = createSecurityEvents({ logger, store: store.securityEvents, retentionDays: config.securityEvents.retentionDays });
  const tracking = { deviceSessions: store.deviceSessions, sessionTtlSeconds: config.ttl.session, clock: deps.clock ?? Date.now, logger };
  /** One Provider per key set: a rotation step builds a new one over the same store and swaps it in. */
  const buildProvider = (signingKeys: readonly PrivateSigningKey[]) => {
    const built = createProvider({ config, store, keys: signingKeys, pages, logger, events, metrics, builtInClients: [accountClientMetadata(config.issuer)] });
    trackDeviceSessions(built, tracking);
    return built;
  };
  let publishedKeys = keys;
  const handle = createProviderHandle(buildProvider(keys));
  const provider = handle.provider;
  let mountedProvider = mount(handle.current);
  let lastSchedule = deps.keyRing?.scheduled ?? [];
  deps.keyRing?.subscribe((next, scheduled) => {
    handle.swap(buildProvider(next));
    mountedProvider = mount(handle.current);
    publishedKeys = next;
    for (const { step, kid, alg } of keySteps(lastSchedule, scheduled)) events.emit(step, { kid, alg });
    lastSchedule = scheduled;
    logger.debug({ kids: next.map((k) => k.kid) }, 'signing keys changed; provider rebuilt');
  });
  const csrf = createCsrf(config.cookieSecrets.keys);
  const authenticator = createAuthenticator(store.accounts, hasher);
  const throttle = countLoginOutcomes(
    createLoginThrottle({ attempts: store.loginAttempts, clock: deps.clock ?? Date.now, policy: config.loginThrottle }),
    metrics.loginOutcome,
  );

  const koa = new Koa({ keys: [...config.cookieSecrets.keys], proxy: config.trustProxy });
  const interactions = interactionRoutes({ provider, pages, authenticator, throttle, store, logger, csrf });
  const account = accountRoutes({ provider, pages, csrf, issuer: config.issuer, tracking, store, hasher, events, checkNewPassword });
  const health = healthRoutes({ ping: () => store.ping(), keysLoaded: () => publishedKeys.length > 0, timeoutMs: config.mongodb.operationTimeoutMs });
  const jwks = jwksRoutes({ keys: () => publishedKeys, maxAgeSeconds: config.keyRotation.prePublishSeconds });
  const assets = staticRoutes({ brandColor });

  koa.use(requestId());
  koa.use(observeRequests({ metrics, logger }));
  koa.use(events.scope());
  koa.use(drainUnreadBody());
  koa.use(errorBoundary({ logger, pages }));
  koa.use(securityHeaders({ hsts: config.mode === 'production', logoUrl }));
  const clock = deps.clock ?? Date.now;
  koa.use(rateLimits({ limits: config.rateLimits, limiter: createRateLimiter({ slots: store.rateLimits, clock }), logger, clock }));
  koa.use(health.routes());
  // /metrics on PORT only behind METRICS_TOKEN, and never when it has a listener of its own (METRICS_PORT).
  if (config.metrics.port === undefined && config.metrics.token !== undefined) koa.use(metricsRoutes({ metrics, token: config.metrics.token }).routes());
  const metricsKoa = config.metrics.port === undefined ? undefined : metricsApp({ metrics, token: config.metrics.token, logger, pages });
  koa.use(assets.routes());
  koa.use(interactions.routes());
  koa.use(account.routes());
  koa.use(jwks.routes());
  koa.use(dropResumeQuery());
  koa.use((ctx, next) => mountedProvider(ctx, next));

  const ring = deps.keyRing;
  const rotation = ring
    ? startAutoRotation({
        dir: config.keysDir,
        everyDays: config.keyRotation.everyDays,
        ring,
        times: async () => rotationTimes(config, (await store.resourceServers.list()).map((r) => r.accessTokenTTL ?? config.ttl.accessToken)),
        onRotated: (result) => logger.info({ added: result.added, retiring: result.retiring }, 'signing keys rotated by schedule'),
        onPruned: (kids) => logger.info({ kids }, 'retired signing key files removed'),
        onError: (err) => logger.error({ err }, 'scheduled key rotation failed'),
      })
    : undefined;

  const validateClient = clientValidator(provider, toProviderClientMetadata);
  return {
    koa,
    provider,
    deps,
    events,
    metrics,
    metricsKoa,
    bootstrap: (source, input) => applyBootstrap(source, input, { store, hasher, validateClient }),
    close: async () => {
      rotation?.stop();
      deps.keyRing?.stop();
      await events.flush();
      await store.close();
    },
  };
}
