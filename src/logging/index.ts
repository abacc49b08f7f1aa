// logging/: the pino logger factory with secret redaction. Constructed once in the composition root.
export { createLogger, REDACT_PATHS, type Logger } from './logger.ts';
