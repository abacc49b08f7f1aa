/**
 * Loads the configuration: the optional JSON file named by CONFIG_FILE, overlaid with the environment,
 * parsed by the one schema, checked, resolved and frozen. Every failure is a ConfigError with one line.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Config } from './config.ts';
import { alwaysChecks, DEFAULT_REFRESH_TOKEN_IDLE_TTL, productionChecks, type CheckInput } from './checks.ts';
import { ConfigError } from './errors.ts';
import { configSchema, settings } from './schema.ts';

export interface LoadOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads CONFIG_FILE; injectable for tests. */
  readonly readFile?: (path: string) => string;
}

function readConfigFile(path: string, readFile: (p: string) => string): Record<string, unknown> {
  let text: string;
  try {
    text = readFile(path);
  } catch (err) {
    throw new ConfigError(`CONFIG_FILE ${path} cannot be read: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`CONFIG_FILE ${path} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`CONFIG_FILE ${path} must hold a JSON object of setting names to values`);
  }
  const unknown = Object.keys(parsed).filter((k) => !(k in settings));
  if (unknown.length > 0) {
    throw new ConfigError(`CONFIG_FILE ${path} has unknown setting ${unknown.join(', ')}`);
  }
  return parsed as Record<string, unknown>;
}

function pickKnown(env: LoadOptions['env']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(settings)) {
    const value = env[key];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

export function describeIssue(issue: z.core.$ZodIssue): string {
  const key = issue.path.join('.') || 'configuration';
  return `${key}: ${issue.message}`;
}

/** METRICS_PORT is a listener of its own: sharing PORT would fail at start-up with a bare EADDRINUSE. */
export function metricsPortApart({ raw }: CheckInput): string | undefined {
  return raw.METRICS_PORT !== undefined && raw.METRICS_PORT !== 0 && raw.METRICS_PORT === raw.PORT
    ? `METRICS_PORT (${raw.METRICS_PORT}) must differ from PORT: metrics get a listener of their own`
    : undefined;
}

/** Parses and checks the configuration; throws ConfigError with a one-line reason. */
export function loadConfig({ env, readFile = (p) => readFileSync(p, 'utf8') }: LoadOptions): Config {
  const fromFile = env.CONFIG_FILE ? readConfigFile(env.CONFIG_FILE, readFile) : {};
  const result = configSchema.safeParse({ ...fromFile, ...pickKnown(env) });
  if (!result.success) {
    const first = result.error.issues[0];
    throw new ConfigError(first ? `invalid setting ${describeIssue(first)}` : 'invalid configuration');
  }
  const raw = result.data;
  const production = raw.NODE_ENV === 'production';
  const issuer = (raw.ISSUER ?? `http://localhost:${raw.PORT}`).replace(/\/$/, '');

  for (const check of [...alwaysChecks, metricsPortApart, ...(production ? productionChecks : [])]) {
    const problem = check({ raw, issuer });
    if (problem) throw new ConfigError(problem);
  }

  const generated = !raw.COOKIE_SECRETS || raw.COOKIE_SECRETS.length === 0;
  const config: Config = {
    mode: production ? 'production' : 'development',
    port: raw.PORT,
    host: raw.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    issuer,
    mongodbUri: raw.MONGODB_URI,
    mongodb: Object.freeze({
      connectTimeoutMs: raw.MONGODB_CONNECT_TIMEOUT * 1000,
      serverSelectionTimeoutMs: raw.MONGODB_SERVER_SELECTION_TIMEOUT_MS ?? raw.MONGODB_OPERATION_TIMEOUT_MS,
      operationTimeoutMs: raw.MONGODB_OPERATION_TIMEOUT_MS,
    }),
    bootstrapFile: raw.BOOTSTRAP_FILE,
    keysDir: raw.KEYS_DIR,
    keyRotation: Object.freeze({
      prePublishSeconds: raw.KEYS_PREPUBLISH_SECONDS,
      pollSeconds: raw.KEYS_POLL_SECONDS,
      everyDays: raw.KEYS_ROTATE_EVERY_DAYS,
    }),
    cookieSecrets: {
      keys: Object.freeze(generated ? [randomBytes(32).toString('base64url')] : [...(raw.COOKIE_SECRETS ?? [])]),
      generated,
    },
    trustProxy: raw.TRUST_PROXY,
    argon2: Object.freeze({
      memoryCost: raw.ARGON2_MEMORY_KIB,
      timeCost: raw.ARGON2_TIME_COST,
      parallelism: raw.ARGON2_PARALLELISM,
    }),
    ttl: Object.freeze({
      accessToken: raw.ACCESS_TOKEN_TTL,
      idToken: raw.ID_TOKEN_TTL,
      authorizationCode: raw.AUTHORIZATION_CODE_TTL,
      refreshToken: raw.REFRESH_TOKEN_TTL,
      refreshTokenIdle: raw.REFRESH_TOKEN_IDLE_TTL ?? Math.min(DEFAULT_REFRESH_TOKEN_IDLE_TTL, raw.REFRESH_TOKEN_TTL),
      session: raw.SESSION_TTL,
      interaction: raw.INTERACTION_TTL,
    }),
    refreshTokenReuseGraceSeconds: raw.REFRESH_TOKEN_REUSE_GRACE_SECONDS,
    loginThrottle: Object.freeze({
      freeFailures: raw.LOGIN_FREE_FAILURES,
      backoffBaseSeconds: raw.LOGIN_BACKOFF_BASE_SECONDS,
      backoffMaxSeconds: raw.LOGIN_BACKOFF_MAX_SECONDS,
      maxFailuresPerAccount: raw.LOGIN_MAX_FAILURES_PER_HOUR,
      maxFailuresPerAddress: raw.LOGIN_IP_MAX_FAILURES_PER_HOUR,
    }),
    branding: Object.freeze({ productName: raw.PRODUCT_NAME, logoUrl: raw.LOGO_URL, brandColor: raw.BRAND_COLOR }),
    seedDemo: raw.SEED_DEMO ?? !production,
    securityEvents: Object.freeze({ retentionDays: raw.SECURITY_EVENTS_RETENTION_DAYS }),
    rateLimits: Object.freeze({
      enabled: raw.RATE_LIMITS_ENABLED,
      groups: Object.freeze({
        token: Object.freeze({ ip: raw.RATE_LIMIT_TOKEN_IP, client: raw.RATE_LIMIT_TOKEN_CLIENT }),
        auth: Object.freeze({ ip: raw.RATE_LIMIT_AUTH_IP, client: raw.RATE_LIMIT_AUTH_CLIENT }),
        login: Object.freeze({ ip: raw.RATE_LIMIT_LOGIN_IP, client: raw.RATE_LIMIT_LOGIN_CLIENT }),
        introspection: Object.freeze({ ip: raw.RATE_LIMIT_INTROSPECTION_IP, client: raw.RATE_LIMIT_INTROSPECTION_CLIENT }),
        revocation: Object.freeze({ ip: raw.RATE_LIMIT_REVOCATION_IP, client: raw.RATE_LIMIT_REVOCATION_CLIENT }),
        registration: Object.freeze({ ip: raw.RATE_LIMIT_REGISTRATION_IP, client: raw.RATE_LIMIT_REGISTRATION_CLIENT }),
      }),
    }),
    shutdownTimeoutMs: raw.SHUTDOWN_TIMEOUT_MS,
    logLevel: raw.LOG_LEVEL,
    metrics: Object.freeze({ port: raw.METRICS_PORT, host: raw.METRICS_HOST, token: raw.METRICS_TOKEN }),
  };
  return Object.freeze(config);
}

/** The warnings dev mode prints whenever a development-only default is in use. */
export function devWarnings(config: Config): string[] {
  if (config.mode === 'production') return [];
  const warnings: string[] = [];
  if (!config.mongodbUri) warnings.push('using the in-memory store: everything is lost on restart (set MONGODB_URI to keep it)');
  if (config.cookieSecrets.generated) warnings.push('using generated cookie secrets: sessions end on restart (set COOKIE_SECRETS)');
  return warnings;
}
