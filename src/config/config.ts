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
  readonly seedDemo: boolean;
  readonly logLevel: RawConfig['LOG_LEVEL'];
}
