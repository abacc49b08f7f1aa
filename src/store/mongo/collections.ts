/**
 * Collection names, document shapes and the digest of ids. Token-like ids (codes, tokens, session and
 * interaction ids) are bearer values: only their SHA-256 digest is the `_id`, so a dump of the database
 * yields none of them, while every lookup stays a single read on `_id`.
 */
import { createHash } from 'node:crypto';
import type { Document } from 'mongodb';
import { GRANTABLE_MODELS } from '../ports.ts';

export { GRANTABLE_MODELS };

export function digestId(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('base64url');
}

/** Every model oidc-provider may store (Client lives in the `clients` collection instead). */
export const PROVIDER_MODELS = [
  ...GRANTABLE_MODELS,
  'Session',
  'Grant',
  'Interaction',
  'ClientCredentials',
  'InitialAccessToken',
  'RegistrationAccessToken',
  'ReplayDetection',
  'PushedAuthorizationRequest',
] as const;

export function modelCollection(name: string): string {
  return `oidc_${name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()}`;
}

/** Single-use markers: inserting `<model>:<digest>` is what consumes a code or refresh token. */
export const CONSUMED = 'oidc_consumed';
export const ACCOUNTS = 'accounts';
export const CLIENTS = 'clients';
export const RESOURCE_SERVERS = 'resource_servers';
export const DEVICE_SESSIONS = 'device_sessions';
/** Login throttling: one insert-only record per attempt and key, and each key's last success. */
export const LOGIN_ATTEMPTS = 'login_attempts';
export const LOGIN_SUCCESSES = 'login_successes';
/** The security event log (security/events.ts): insert-only, kept for SECURITY_EVENTS_RETENTION_DAYS. */
export const SECURITY_EVENTS = 'security_events';
/** Rate limits (security/rate-limit.ts): one insert-only record per claimed slot of a bucket. */
export const RATE_LIMIT_SLOTS = 'rate_limit_slots';

/**
 * A model record. The payload is kept as JSON text: oidc-provider payloads use resource URLs as keys
 * (`https://api.example` has dots, which FerretDB and older MongoDB refuse in field names). The fields
 * the store queries are lifted out next to it.
 */
export interface ModelDocument extends Document {
  _id: string;
  payload: string;
  grantId?: string;
  uid?: string;
  userCode?: string;
  accountId?: string;
  /** Seconds since the epoch, set by consume(). */
  consumed?: number;
  expiresAt?: Date;
}
