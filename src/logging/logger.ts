/**
 * The one logger factory (pino, JSON lines). Secrets are removed here, at the logger, so no call site can
 * leak one by accident: any field with one of these names is replaced before the line is written.
 */
import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

const SECRET_FIELDS = [
  'password',
  'passwordHash',
  'client_secret',
  'code',
  'code_verifier',
  'access_token',
  'refresh_token',
  'id_token',
  'token',
  'cookie',
  'authorization',
  'd',
];

export const REDACT_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((f) => `*.${f}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

export type { Logger };

export function createLogger(level: LevelWithSilent, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'portcullis' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    destination,
  );
}
