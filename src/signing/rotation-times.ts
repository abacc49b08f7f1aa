/**
 * How long each rotation step waits, from the configuration: a new key is published for the
 * pre-publish window before it signs; a replaced key stays published for the longest lifetime of any
 * token it may have signed (ID tokens, access tokens, every resource server's access tokens) plus the
 * clock tolerance, counted from its successor's activation.
 */
import type { Config } from '../config/index.ts';
import { CLOCK_TOLERANCE_SECONDS } from '../store/index.ts';
import type { RotationTimes } from './rotate.ts';

export function rotationTimes(config: Config, resourceServerTTLs: readonly number[]): RotationTimes {
  const longest = Math.max(config.ttl.idToken, config.ttl.accessToken, ...resourceServerTTLs);
  return {
    prePublishMs: config.keyRotation.prePublishSeconds * 1000,
    retireAfterMs: (longest + CLOCK_TOLERANCE_SECONDS) * 1000,
  };
}
