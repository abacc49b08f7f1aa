// config/: the ground floor — the settings schema, loading, and the production checks. Imports nothing of ours.
export type { Config } from './config.ts';
export { ConfigError } from './errors.ts';
export { loadConfig, devWarnings } from './load.ts';
export { MAX_REFRESH_TOKEN_REUSE_GRACE_SECONDS, settings } from './schema.ts';
export { isLoopbackUrl } from './checks.ts';
