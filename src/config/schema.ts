/**
 * The one configuration schema. Every key is read from the environment (or from the optional JSON file
 * named by CONFIG_FILE; the environment wins), carries its default and a one-line description, and is
 * frozen after parsing. Cross-field rules live in checks.ts.
 */
import { z } from 'zod';
import { brandColorProblem, DEFAULT_BRAND_COLOR, isLogoUrl } from './branding.ts';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const bool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');
const list = z
  .union([z.array(z.string()), z.string()])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean));

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
  MONGODB_SERVER_SELECTION_TIMEOUT_MS: {
    schema: int(100, 120_000).default(5000),
    doc: 'Milliseconds one database operation waits for a reachable server before it fails.',
  },
  BOOTSTRAP_FILE: {
    schema: z.string().min(1).optional(),
    doc: 'JSON file of clients, users and resource servers upserted at start-up (idempotent).',
  },
  KEYS_DIR: { schema: z.string().min(1).default('./keys'), doc: 'Folder holding the private signing keys (JWK files).' },
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
  ACCESS_TOKEN_TTL: { schema: int(30, 86_400).default(600), doc: 'Seconds an access token lives unless its resource server says otherwise.' },
  ID_TOKEN_TTL: { schema: int(30, 86_400).default(3600), doc: 'Seconds an ID token lives.' },
  AUTHORIZATION_CODE_TTL: { schema: int(10, 600).default(60), doc: 'Seconds an authorization code may wait to be redeemed.' },
  REFRESH_TOKEN_TTL: {
    schema: int(60, 31_536_000).default(1_209_600),
    doc: 'Absolute lifetime of a refresh token family in seconds (default 14 days): rotation never extends it. The grant lives at least this long.',
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
  LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    doc: 'pino log level.',
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
