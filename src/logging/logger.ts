/**
 * The one logger factory (pino, JSON lines). Secrets are removed here, at the logger, so no call site can
 * leak one by accident: any field with one of these names is replaced before the line is written.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

const SECRET_FIELDS = [
  'password',
  'current_password',
  'new_password',
  'passwordHash',
  'client_secret',
  'client_secret_digest',
  'secret',
  'code',
  'code_verifier',
  'access_token',
  'refresh_token',
  'id_token',
  'token',
  // An opaque token's id is the token itself (DESIGN.md), and a session's id is its cookie.
  'jti',
  'session_id',
  'cookie',
  'authorization',
  // Private JWK members (EC/OKP `d`, RSA primes and CRT values, symmetric `k`).
  'd',
  'p',
  'q',
  'dp',
  'dq',
  'qi',
  'k',
];

export const REDACT_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((f) => `*.${f}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["set-cookie"]',
];

export type { Logger };

/**
 * Fields every line carries while the code inside `withLogFields` runs, whichever module logs it: the
 * request id (http/request-id.ts). Every module holds the one root logger from the composition root,
 * so the request's fields come from its async context rather than from a child logger handed around.
 */
const lineFields = new AsyncLocalStorage<Readonly<Record<string, string>>>();

/** Runs `run` so that every line logged inside it (and in what it awaits) carries `fields`. */
export function withLogFields<T>(fields: Readonly<Record<string, string>>, run: () => T): T {
  return lineFields.run(fields, run);
}

export function createLogger(level: LevelWithSilent, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'portcullis' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // A fresh object per line: pino merges the line's own fields into the one the mixin returns.
      mixin: () => ({ ...lineFields.getStore() }),
    },
    destination,
  );
}
