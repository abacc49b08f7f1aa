/**
 * The one configuration schema. Every key is read from the environment (or from the optional JSON file
 * named by CONFIG_FILE; the environment wins), carries its default and a one-line description, and is
 * frozen after parsing. Cross-field rules live in checks.ts.
 */
import { z } from 'zod';
import { brandColorProblem, DEFAULT_BRAND_COLOR, isLogoUrl } from './branding.ts';

/** The longest reuse grace window a deployment or a client may ask for (README, Security). */
export const MAX_REFRESH_TOKEN_REUSE_GRACE_SECONDS = 60;

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const bool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');
const list = z
  .union([z.array(z.string()), z.string()])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean));
/** A rate limit (security/rate-limit.ts): `<n>/min,burst=<b>`, a token bucket of b refilled at n a minute; or `off`. */
const rate = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const spec = text.replace(/\s+/g, '').toLowerCase();
      if (spec === 'off') return undefined;
      const [, perMinute = 0, burst = 0] = (/^(\d{1,6})\/min,burst=(\d{1,6})$/.exec(spec) ?? []).map(Number);
      if (perMinute >= 1 && perMinute <= 60_000 && burst >= 1 && burst <= 100_000) return Object.freeze({ perMinute, burst });
      ctx.addIssue({ code: 'custom', message: 'must be `<1 to 60000>/min,burst=<1 to 100000>` (for example 600/min,burst=100), or off' });
      return z.NEVER;
    });

/** Each entry: the schema, and the sentence `docs/configuration` and the README table are made from. */
export const settings = {
  NODE_ENV: {
    schema: z.enum(['development', 'production', 'test']).default('development'),
    doc: '`production` turns on every production check; anything else is dev mode.',
  },
  PORT: { schema: int(0, 65535).default(3000), doc: 'TCP port the server listens on.' },
  HOST: {
    schema: z.string().min(1).optional(),
    doc: 'Interface to listen on. Default `127.0.0.1` in dev mode, `0.0.0.0` in production.',
  },
  ISSUER: {
    schema: z.url({ protocol: /^https?$/ }).optional(),
    doc: 'The issuer identifier (and public base URL). Default `http://localhost:$PORT`.',
  },
  MONGODB_URI: {
    schema: z.string().min(1).optional(),
    doc: 'MongoDB connection string. Unset means the in-memory store, which only dev mode allows.',
  },
  MONGODB_CONNECT_TIMEOUT: {
    schema: int(0, 3600).default(30),
    doc: 'Seconds to keep retrying (with backoff) when MongoDB is unreachable at start-up, then exit non-zero.',
  },
  MONGODB_OPERATION_TIMEOUT_MS: {
    schema: int(100, 120_000).default(2500),
    doc: 'Milliseconds a request waits on MongoDB (finding a server, connecting, each read or write and its majority acknowledgement) before it answers 503 `temporarily_unavailable`.',
  },
  MONGODB_SERVER_SELECTION_TIMEOUT_MS: {
    schema: int(100, 120_000).optional(),
    doc: 'Milliseconds one database operation waits for a reachable server before it fails. Default MONGODB_OPERATION_TIMEOUT_MS.',
  },
  BOOTSTRAP_FILE: {
    schema: z.string().min(1).optional(),
    doc: 'JSON file of clients, users and resource servers upserted at start-up (idempotent).',
  },
  KEYS_DIR: {
    schema: z.string().min(1).default('./keys'),
    doc: 'Folder holding the private signing keys (JWK files) and their rotation schedule; every instance must share it.',
  },
  KEYS_PREPUBLISH_SECONDS: {
    schema: int(1, 30 * 86_400).default(900),
    doc: 'How long a rotated-in key is published before it signs; also the /jwks Cache-Control max-age.',
  },
  KEYS_POLL_SECONDS: { schema: int(1, 3600).default(10), doc: 'How often a running server re-reads KEYS_DIR for rotation steps.' },
  KEYS_ROTATE_EVERY_DAYS: {
    schema: int(1, 3650).optional(),
    doc: 'Rotate the signing keys by themselves this often (days). Unset: only `keys rotate` rotates.',
  },
  COOKIE_SECRETS: {
    schema: list.optional(),
    doc: 'Comma-separated cookie signing secrets, newest first, each at least 32 characters. Dev mode generates throw-away ones.',
  },
  TRUST_PROXY: {
    schema: bool.default(false),
    doc: 'Trust X-Forwarded-* headers (set when a TLS-terminating proxy is in front).',
  },
  ARGON2_MEMORY_KIB: { schema: int(8, 4_194_304).default(19_456), doc: 'argon2id memory cost in KiB (OWASP: 19456).' },
  ARGON2_TIME_COST: { schema: int(1, 100).default(2), doc: 'argon2id iterations (OWASP: 2).' },
  ARGON2_PARALLELISM: { schema: int(1, 64).default(1), doc: 'argon2id parallelism (OWASP: 1).' },
  ACCESS_TOKEN_TTL: { schema: int(5, 86_400).default(600), doc: 'Seconds an access token lives unless its resource server says otherwise.' },
  ID_TOKEN_TTL: { schema: int(5, 86_400).default(3600), doc: 'Seconds an ID token lives.' },
  AUTHORIZATION_CODE_TTL: { schema: int(10, 600).default(60), doc: 'Seconds an authorization code may wait to be redeemed.' },
  REFRESH_TOKEN_TTL: {
    schema: int(60, 31_536_000).default(1_209_600),
    doc: 'Absolute lifetime of a refresh token family in seconds (default 14 days): rotation never extends it. The grant lives at least this long.',
  },
  REFRESH_TOKEN_IDLE_TTL: {
    schema: int(60, 31_536_000).optional(),
    doc: 'Seconds a refresh token lives unused: each refresh issues one that lives this long, never past REFRESH_TOKEN_TTL. Default 7 days (or REFRESH_TOKEN_TTL when shorter); at most REFRESH_TOKEN_TTL.',
  },
  REFRESH_TOKEN_REUSE_GRACE_SECONDS: {
    schema: int(0, MAX_REFRESH_TOKEN_REUSE_GRACE_SECONDS).default(0),
    doc: 'Seconds (0 to 60) in which presenting a just-rotated refresh token again returns a new token pair instead of revoking the grant; 0 is strict reuse detection. A client may override it (refresh_token_reuse_grace_seconds).',
  },
  SESSION_TTL: { schema: int(60, 31_536_000).default(1_209_600), doc: 'Seconds a browser sign-in session lives.' },
  INTERACTION_TTL: { schema: int(60, 86_400).default(900), doc: 'Seconds a person has to finish the login and consent pages.' },
  LOGIN_FREE_FAILURES: {
    schema: int(0, 100).default(5),
    doc: 'Failed sign-ins an account may have (in the last hour, since its last success) before each further attempt must wait: exponential backoff.',
  },
  LOGIN_BACKOFF_BASE_SECONDS: { schema: int(1, 3600).default(1), doc: 'The first backoff wait in seconds; it doubles with every further failure.' },
  LOGIN_BACKOFF_MAX_SECONDS: { schema: int(1, 3600).default(900), doc: 'The longest backoff wait in seconds (at most an hour, the counting window).' },
  LOGIN_MAX_FAILURES_PER_HOUR: {
    schema: int(1, 100).default(100),
    doc: 'Failed sign-ins per account per hour, at most 100 (OWASP ASVS); then the account refuses every attempt, even a correct one, until the hour has passed.',
  },
  LOGIN_IP_MAX_FAILURES_PER_HOUR: {
    schema: int(1, 1_000_000).default(1000),
    doc: 'Failed sign-ins per client address (IPv6: per /64) per hour, across all emails; then that address is refused until the hour has passed.',
  },
  RATE_LIMITS_ENABLED: {
    schema: bool.default(true),
    doc: 'Rate-limit /auth, /token, /token/introspection, /token/revocation, /reg and the login form per client address and per client (the RATE_LIMIT_* buckets); `429` with Retry-After beyond them.',
  },
  RATE_LIMIT_TOKEN_IP: { schema: rate('3000/min,burst=300'), doc: 'Token endpoint requests per client address (IPv6: per /64).' },
  RATE_LIMIT_TOKEN_CLIENT: { schema: rate('6000/min,burst=600'), doc: 'Token endpoint requests per client_id.' },
  RATE_LIMIT_AUTH_IP: { schema: rate('300/min,burst=60'), doc: 'Authorization requests (/auth, not its resumption after the login page) per client address.' },
  RATE_LIMIT_AUTH_CLIENT: { schema: rate('3000/min,burst=500'), doc: 'Authorization requests per client_id: every person signing in to that app counts.' },
  RATE_LIMIT_LOGIN_IP: { schema: rate('120/min,burst=60'), doc: 'Login form submissions per client address (on top of the LOGIN_* throttling).' },
  RATE_LIMIT_LOGIN_CLIENT: { schema: rate('1200/min,burst=200'), doc: 'Login form submissions per client_id: every person signing in to that app counts.' },
  RATE_LIMIT_INTROSPECTION_IP: { schema: rate('3000/min,burst=500'), doc: 'Introspection requests per client address.' },
  RATE_LIMIT_INTROSPECTION_CLIENT: { schema: rate('3000/min,burst=500'), doc: 'Introspection requests per client_id.' },
  RATE_LIMIT_REVOCATION_IP: { schema: rate('300/min,burst=60'), doc: 'Revocation requests per client address.' },
  RATE_LIMIT_REVOCATION_CLIENT: { schema: rate('600/min,burst=100'), doc: 'Revocation requests per client_id.' },
  RATE_LIMIT_REGISTRATION_IP: { schema: rate('30/min,burst=10'), doc: 'Dynamic registration requests (/reg, disabled today) per client address.' },
  RATE_LIMIT_REGISTRATION_CLIENT: { schema: rate('30/min,burst=10'), doc: 'Dynamic registration requests per client_id.' },
  SEED_DEMO: {
    schema: bool.optional(),
    doc: 'Seed the demo client, user and resource server. Default on in dev mode, refused in production.',
  },
  PRODUCT_NAME: {
    schema: z.string().trim().min(1).max(60).default('Portcullis'),
    doc: 'The name people see on the sign-in, consent and account pages.',
  },
  LOGO_URL: {
    schema: z
      .string()
      .trim()
      .refine(isLogoUrl, 'must be an https:// URL or a file under /static/ (for example /static/logo.svg)')
      .optional(),
    doc: 'Logo shown instead of the product name: an https:// URL, or `/static/<file>` for a file placed in views/static.',
  },
  BRAND_COLOR: {
    schema: z
      .string()
      .trim()
      .toLowerCase()
      .superRefine((value, ctx) => {
        const problem = brandColorProblem(value);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .default(DEFAULT_BRAND_COLOR),
    doc: 'Primary colour of buttons and links, `#rrggbb`; refused unless white text on it has a WCAG AA contrast of 4.5:1.',
  },
  SHUTDOWN_TIMEOUT_MS: {
    schema: int(0, 600_000).default(10_000),
    doc: 'On SIGTERM or SIGINT: milliseconds to let in-flight requests finish and the store close before exiting 1 anyway.',
  },
  LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    doc: 'pino log level.',
  },
  METRICS_PORT: {
    schema: int(0, 65535).optional(),
    doc: 'Serve Prometheus /metrics on a listener of its own at this port (on METRICS_HOST), and not on PORT.',
  },
  METRICS_HOST: { schema: z.string().min(1).default('127.0.0.1'), doc: 'Interface the METRICS_PORT listener binds to.' },
  METRICS_TOKEN: {
    schema: z
      .string()
      .regex(/^[\x21-\x7E]{32,}$/, 'must be at least 32 visible ASCII characters (a random string)')
      .optional(),
    doc: 'Bearer token /metrics requires. Without METRICS_PORT, setting it serves /metrics on PORT; with neither set, metrics are not served.',
  },
  SECURITY_EVENTS_RETENTION_DAYS: {
    schema: int(1, 3650).default(90),
    doc: 'Days the security event log (sign-ins, consents, tokens, revocations, admin changes) keeps each event in the store.',
  },
} as const;

type Settings = typeof settings;
export type ConfigKey = keyof Settings;

export const configSchema = z.object(
  Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, v.schema])) as {
    [K in ConfigKey]: Settings[K]['schema'];
  },
);

export type RawConfig = z.infer<typeof configSchema>;
