/** The resolved, frozen configuration every module receives from the composition root. */
import type { RawConfig } from './schema.ts';

export interface Config {
  readonly mode: 'development' | 'production';
  readonly port: number;
  readonly host: string;
  readonly issuer: string;
  readonly mongodbUri: string | undefined;
  readonly mongodb: { readonly connectTimeoutMs: number; readonly serverSelectionTimeoutMs: number };
  readonly bootstrapFile: string | undefined;
  readonly keysDir: string;
  /** Cookie signing secrets, newest first; `generated` when dev mode made throw-away ones. */
  readonly cookieSecrets: { readonly keys: readonly string[]; readonly generated: boolean };
  readonly trustProxy: boolean;
  readonly argon2: { readonly memoryCost: number; readonly timeCost: number; readonly parallelism: number };
  readonly ttl: {
    readonly accessToken: number;
    readonly idToken: number;
    readonly authorizationCode: number;
    readonly refreshToken: number;
    readonly session: number;
    readonly interaction: number;
  };
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
  readonly logLevel: RawConfig['LOG_LEVEL'];
}
