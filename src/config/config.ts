/** The resolved, frozen configuration every module receives from the composition root. */
import type { RawConfig } from './schema.ts';

/** A token bucket: `burst` requests at once, refilled at `perMinute` a minute. */
export interface RateBucket {
  readonly perMinute: number;
  readonly burst: number;
}
export type RateLimitGroup = 'token' | 'auth' | 'login' | 'introspection' | 'revocation' | 'registration';
export interface RateLimitBuckets {
  readonly ip: RateBucket | undefined;
  readonly client: RateBucket | undefined;
}

export interface Config {
  readonly mode: 'development' | 'production';
  readonly port: number;
  readonly host: string;
  readonly issuer: string;
  readonly mongodbUri: string | undefined;
  /** MongoDB timeouts: start-up retries, and the bound on every operation a request waits for (store/mongo/connect.ts). */
  readonly mongodb: { readonly connectTimeoutMs: number; readonly serverSelectionTimeoutMs: number; readonly operationTimeoutMs: number };
  readonly bootstrapFile: string | undefined;
  readonly keysDir: string;
  readonly keyRotation: { readonly prePublishSeconds: number; readonly pollSeconds: number; readonly everyDays: number | undefined };
  /** Cookie signing secrets, newest first; `generated` when dev mode made throw-away ones. */
  readonly cookieSecrets: { readonly keys: readonly string[]; readonly generated: boolean };
  readonly trustProxy: boolean;
  readonly argon2: { readonly memoryCost: number; readonly timeCost: number; readonly parallelism: number };
  readonly ttl: {
    readonly accessToken: number;
    readonly idToken: number;
    readonly authorizationCode: number;
    /** The absolute lifetime of a refresh token family: rotation never extends it. */
    readonly refreshToken: number;
    /** How long an unused refresh token lives (≤ refreshToken): each refresh restarts it. */
    readonly refreshTokenIdle: number;
    readonly session: number;
    readonly interaction: number;
  };
  /** Refresh token reuse detection (oidc/adapter.ts): seconds a just-rotated token may still be presented. */
  readonly refreshTokenReuseGraceSeconds: number;
  /** Login throttling (accounts/throttle.ts): backoff per account, hourly ceilings per account and address. */
  readonly loginThrottle: {
    readonly freeFailures: number;
    readonly backoffBaseSeconds: number;
    readonly backoffMaxSeconds: number;
    readonly maxFailuresPerAccount: number;
    readonly maxFailuresPerAddress: number;
  };
  /** Look and feel of the hosted pages: PRODUCT_NAME, LOGO_URL, BRAND_COLOR (checked for contrast). */
  readonly branding: { readonly productName: string; readonly logoUrl: string | undefined; readonly brandColor: string };
  readonly seedDemo: boolean;
  /** The security event log (security/events.ts): how long the store keeps each event. */
  readonly securityEvents: { readonly retentionDays: number };
  /** Rate limits (security/rate-limit*.ts): per endpoint group, a bucket per client address and one per client_id (`undefined`: off). */
  readonly rateLimits: { readonly enabled: boolean; readonly groups: { readonly [G in RateLimitGroup]: RateLimitBuckets } };
  /** How long SIGTERM waits for in-flight requests and the store to close (main.ts). */
  readonly shutdownTimeoutMs: number;
  readonly logLevel: RawConfig['LOG_LEVEL'];
  /**
   * Prometheus /metrics (http/metrics-routes.ts): on a listener of its own when `port` is set, else on
   * PORT only when `token` is set, else not served.
   */
  readonly metrics: { readonly port: number | undefined; readonly host: string; readonly token: string | undefined };
}
