/**
 * Builds the real app the way main.ts does, with test parts: the given store (memory by default), cheap
 * argon2, fixed signing keys, a loopback port chosen by the OS. The issuer is known only after listen(0),
 * so the server listens first and gets its handler second. Its log goes, at level trace, to the run's
 * capture file (and `logs()`), and every secret crossing its HTTP surface is noted for the log scan
 * (test/setup/log-scan*.ts); TEST_LOG_LEVEL=<any> echoes the lines on stdout too.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { createApp, type AppDeps, type PortcullisApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config/index.ts';
import { createArgon2Hasher, type PasswordHasher } from '../../src/accounts/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import type { PrivateSigningKey } from '../../src/signing/index.ts';
import { createMemoryStore, type Clock, type Store } from '../../src/store/index.ts';
import type { BootstrapInput } from '../../src/bootstrap/index.ts';
import { DEMO_PASSWORD } from '../../src/bootstrap/demo.ts';
import { captureDestination, flushLogCapture, recordSecret, secretTap } from '../setup/log-scan-capture.ts';

export const TEST_KEYS: readonly PrivateSigningKey[] = JSON.parse(
  readFileSync(new URL('../fixtures/signing-keys.json', import.meta.url), 'utf8'),
);

/** argon2id with the smallest parameters: tests exercise the real hashing code, not its cost. */
export const CHEAP_ARGON2 = { memoryCost: 64, timeCost: 1, parallelism: 1 } as const;

export const CLIENT_SECRET = 'confidential-app-secret-0123456789abcdef';
export const USER = { email: 'ada@example.com', password: 'correct horse battery staple', name: 'Ada Lovelace' } as const;
export const API = 'https://api.example';

export const TEST_BOOTSTRAP: BootstrapInput = {
  clients: [
    {
      client_id: 'app',
      client_secret: CLIENT_SECRET,
      client_name: 'Example App',
      client_uri: 'https://app.example',
      redirect_uris: ['https://app.example/cb'],
      post_logout_redirect_uris: ['https://app.example/'],
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: 'openid profile email offline_access api:read',
    },
    {
      client_id: 'spa',
      client_name: 'Example SPA',
      redirect_uris: ['https://spa.example/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      scope: 'openid profile email offline_access',
    },
  ],
  users: [{ email: USER.email, password: USER.password, name: USER.name }],
  resourceServers: [{ identifier: API, name: 'Example API', scopes: ['api:read', 'api:write'], accessTokenTTL: 300 }],
};

/** The fixtures' secrets, for the log scan: a test file that imports these may see them anywhere. */
function recordBootstrapSecrets(input: BootstrapInput): void {
  for (const client of input.clients ?? []) recordSecret('client_secret', (client as { client_secret?: unknown }).client_secret);
  for (const user of input.users ?? []) recordSecret('password', (user as { password?: unknown }).password);
}
recordBootstrapSecrets(TEST_BOOTSTRAP);
recordSecret('password', DEMO_PASSWORD);

export interface TestServer {
  readonly issuer: string;
  /** Where this server listens; differs from the issuer when a test sets ISSUER (a second instance). */
  readonly url: string;
  readonly app: PortcullisApp;
  readonly config: Config;
  readonly store: Store;
  /** With METRICS_PORT set (any value; `0` is fine): where the metrics listener listens, on a port of its own. */
  readonly metricsUrl: string | undefined;
  /** Every line this server has logged so far, parsed. */
  logs(): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  readonly store?: Store;
  readonly hasher?: PasswordHasher;
  readonly env?: Record<string, string>;
  readonly bootstrap?: BootstrapInput | false;
  readonly deps?: Partial<AppDeps>;
  /** The login throttle's clock (oidc-provider keeps real time). */
  readonly clock?: Clock;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    env: { NODE_ENV: 'test', PORT: String(port), ISSUER: issuer, LOG_LEVEL: 'silent', COOKIE_SECRETS: 'test-cookie-secret-0123456789abcdefghij', ...options.env },
  });
  const store = options.store ?? createMemoryStore();
  const capture = captureDestination(process.env.TEST_LOG_LEVEL ? process.stdout : undefined);
  const app = createApp(config, {
    store,
    hasher: options.hasher ?? createArgon2Hasher(CHEAP_ARGON2),
    logger: createLogger('trace', capture.stream),
    keys: TEST_KEYS,
    ...(options.clock ? { clock: options.clock } : {}),
    ...options.deps,
  });
  if (options.bootstrap) recordBootstrapSecrets(options.bootstrap);
  if (options.bootstrap !== false) await app.bootstrap('test bootstrap', options.bootstrap ?? TEST_BOOTSTRAP);
  app.koa.middleware.unshift(secretTap());
  server.on('request', app.koa.callback());
  const metricsServer = app.metricsKoa ? createServer(app.metricsKoa.callback()) : undefined;
  if (metricsServer) await new Promise<void>((resolve) => metricsServer.listen(0, '127.0.0.1', resolve));
  const metricsAddress = metricsServer?.address() as AddressInfo | undefined;
  return {
    issuer: config.issuer,
    url: issuer,
    app,
    config,
    store,
    metricsUrl: metricsAddress ? `http://127.0.0.1:${metricsAddress.port}` : undefined,
    logs: () => capture.lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      metricsServer?.closeAllConnections();
      await new Promise<void>((resolve) => (metricsServer ? metricsServer.close(() => resolve()) : resolve()));
      await app.close();
      await flushLogCapture();
    },
  };
}
