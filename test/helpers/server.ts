/**
 * Builds the real app the way main.ts does, with test parts: the given store (memory by default), cheap
 * argon2, fixed signing keys, a loopback port chosen by the OS. The issuer is known only after listen(0),
 * so the server listens first and gets its handler second.
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

export interface TestServer {
  readonly issuer: string;
  readonly app: PortcullisApp;
  readonly config: Config;
  readonly store: Store;
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
  const app = createApp(config, {
    store,
    hasher: options.hasher ?? createArgon2Hasher(CHEAP_ARGON2),
    logger: createLogger((process.env.TEST_LOG_LEVEL ?? 'silent') as 'silent'),
    keys: TEST_KEYS,
    ...(options.clock ? { clock: options.clock } : {}),
    ...options.deps,
  });
  if (options.bootstrap !== false) await app.bootstrap('test bootstrap', options.bootstrap ?? TEST_BOOTSTRAP);
  server.on('request', app.koa.callback());
  return {
    issuer,
    app,
    config,
    store,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
    },
  };
}
