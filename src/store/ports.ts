/**
 * Storage ports. Every backend (memory/, and MongoDB next) implements these, and the one contract suite in
 * test/store/ runs against each. Nothing above this folder knows which backend it talks to.
 */

/** oidc-provider's clock tolerance: a record outlives its expiry by this much, so the library decides. */
export const CLOCK_TOLERANCE_SECONDS = 15;

/** oidc-provider models whose records carry a grantId (revoking a grant revokes all of them). */
export const GRANTABLE_MODELS = [
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PreAuthorizedCode',
] as const;

/** Milliseconds since the epoch; injected so tests can move time. */
export type Clock = () => number;

/**
 * One oidc-provider model's payload. The library owns its shape; the store only relies on the fields it
 * indexes (grantId, uid, userCode) and on `consumed`.
 */
export interface ModelPayload {
  readonly [key: string]: unknown;
  readonly grantId?: string;
  readonly uid?: string;
  readonly userCode?: string;
  readonly consumed?: unknown;
}

/** Storage for one oidc-provider model (Session, AccessToken, Grant, …), mirroring its adapter API. */
export interface ModelStore {
  /** Insert or replace; the record may be forgotten once `expiresIn` seconds (plus clock tolerance) pass. */
  upsert(id: string, payload: ModelPayload, expiresIn: number | undefined): Promise<void>;
  /** Insert-only (replay detection): `true` the first time an id is stored, `false` when it exists — atomically. */
  insert(id: string, payload: ModelPayload, expiresIn: number | undefined): Promise<boolean>;
  find(id: string): Promise<ModelPayload | undefined>;
  /**
   * Records found by uid or user code come back without `jti` on backends that keep only a digest of the
   * id (MongoDB). oidc-provider only reads sessions found by uid (DESIGN.md).
   */
  findByUid(uid: string): Promise<ModelPayload | undefined>;
  findByUserCode(userCode: string): Promise<ModelPayload | undefined>;
  /**
   * Marks the record consumed. Resolves `true` for exactly one caller, atomically; every other caller
   * (already consumed, or no such record) gets `false`.
   */
  consume(id: string): Promise<boolean>;
  destroy(id: string): Promise<void>;
  /** Removes the record with this uid (a session, ended from the account page). */
  destroyByUid(uid: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
  /** Every live record of this account (grants, for the account page's connected apps). */
  findByAccountId(accountId: string): Promise<ModelPayload[]>;
}

/** Looks up the store of each oidc-provider model by its name. */
export interface ModelStores {
  model(name: string): ModelStore;
}

export interface Account {
  /** The stable subject identifier (`sub`). */
  readonly id: string;
  /** Normalized: trimmed and lower-cased. */
  readonly email: string;
  readonly emailVerified: boolean;
  readonly name: string | undefined;
  /** argon2id PHC string. */
  readonly passwordHash: string;
  readonly disabled: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface AccountInput {
  readonly email: string;
  readonly emailVerified: boolean;
  readonly name: string | undefined;
  readonly passwordHash: string;
}

export interface AccountStore {
  findById(id: string): Promise<Account | undefined>;
  /** `email` must already be normalized. */
  findByEmail(email: string): Promise<Account | undefined>;
  /** Creates the account, or updates the one with this email keeping its id; returns the stored account. */
  upsertByEmail(input: AccountInput): Promise<Account>;
  list(): Promise<Account[]>;
  /** Disables or re-enables the account with this (normalized) email; `false` when there is none. */
  setDisabled(email: string, disabled: boolean): Promise<boolean>;
}

/**
 * Standard OAuth client metadata (RFC 7591) as registered — except the secret: stores never hold
 * `client_secret`, only `client_secret_digest` (see security/client-secrets.ts), and refuse metadata
 * that carries the plain value.
 */
export interface ClientMetadata {
  readonly client_id: string;
  readonly client_secret_digest?: string;
  readonly [key: string]: unknown;
}

export class PlainClientSecretError extends Error {
  override readonly name = 'PlainClientSecretError';
  constructor(clientId: string) {
    super(`client ${clientId}: a store never keeps a plain client_secret; store its digest`);
  }
}

export interface ClientStore {
  find(clientId: string): Promise<ClientMetadata | undefined>;
  upsert(metadata: ClientMetadata): Promise<void>;
  list(): Promise<ClientMetadata[]>;
  remove(clientId: string): Promise<boolean>;
}

export interface ResourceServer {
  /** The resource indicator (RFC 8707), an absolute URI; it becomes the JWT access token's `aud`. */
  readonly identifier: string;
  readonly name: string | undefined;
  readonly scopes: readonly string[];
  /** Seconds; falls back to the configured access token lifetime. */
  readonly accessTokenTTL: number | undefined;
}

export interface ResourceServerStore {
  find(identifier: string): Promise<ResourceServer | undefined>;
  upsert(server: ResourceServer): Promise<void>;
  list(): Promise<ResourceServer[]>;
}

/** What the account page shows about a browser session, kept beside oidc-provider's own Session. */
export interface DeviceSession {
  /** The Session's uid (not its id, which is the cookie value). */
  readonly uid: string;
  readonly accountId: string;
  readonly userAgent: string;
  readonly ip: string;
  readonly signedInAt: Date;
  readonly lastActiveAt: Date;
}

export interface DeviceSessionStore {
  /** Inserts or refreshes the entry; it is forgotten `ttlSeconds` after this call. */
  record(entry: DeviceSession, ttlSeconds: number): Promise<void>;
  listByAccount(accountId: string): Promise<DeviceSession[]>;
  remove(uid: string): Promise<void>;
}

/**
 * One login attempt, recorded before its password is checked (accounts/throttle.ts). It writes one record
 * under each of its keys (an account's email digest, a client address); they share the attempt id.
 */
export interface LoginAttempt {
  readonly attemptId: string;
  readonly keys: readonly string[];
  readonly at: Date;
  /** The records may be forgotten from then on (TTL cleanup). */
  readonly expiresAt: Date;
}

/** What a key's records in a window add up to. */
export interface LoginAttemptTally {
  readonly count: number;
  /** The newest record's time, when there is any. */
  readonly newest: Date | undefined;
}

/**
 * Login attempts and successes, shared by every instance. Records are insert-only and never updated —
 * FerretDB's conditional updates and `$inc` are not atomic, an insert is — so a count over a window
 * sees every attempt inserted before it. Times come from the caller (the throttle's clock). A query
 * excludes the caller's own attempt (`exceptAttemptId`) and counts records strictly newer than `since`.
 */
export interface LoginAttemptStore {
  /** Inserts one record per key. */
  add(attempt: LoginAttempt): Promise<void>;
  /** Forgets every record of this attempt (it succeeded, or was refused): it was no failure. */
  remove(attemptId: string): Promise<void>;
  tally(key: string, since: Date, exceptAttemptId: string): Promise<LoginAttemptTally>;
  /** The time of the record under `key` newer than `since` that has `skip` older ones before it. */
  timeOf(key: string, since: Date, skip: number, exceptAttemptId: string): Promise<Date | undefined>;
  /** Notes a successful sign-in under `key` (replacing the previous one). */
  recordSuccess(key: string, at: Date, expiresAt: Date): Promise<void>;
  lastSuccess(key: string): Promise<Date | undefined>;
}

/**
 * One entry of the security event log (security/events.ts decides what an entry may hold: never a
 * token, secret, password or raw cookie). The account and client are lifted out because the log is
 * queried by them; everything else the event says is in `details`.
 */
export interface SecurityEventRecord {
  /** Sortable: ids of one process grow with time, so equal times still list in emission order. */
  readonly id: string;
  readonly event: string;
  readonly time: Date;
  readonly accountId: string | undefined;
  readonly clientId: string | undefined;
  readonly details: Readonly<Record<string, string | number>>;
  /** The record may be forgotten from then on (the retention TTL). */
  readonly expiresAt: Date;
}

export interface SecurityEventQuery {
  readonly accountId?: string | undefined;
  readonly clientId?: string | undefined;
  /** Only events at or after this time. */
  readonly since?: Date | undefined;
  readonly limit: number;
}

/** The security event log: append-only, queried newest first; an expired record is never returned. */
export interface SecurityEventStore {
  append(record: SecurityEventRecord): Promise<void>;
  /** Newest first (by time, then id), at most `limit`. */
  query(query: SecurityEventQuery): Promise<SecurityEventRecord[]>;
}

/**
 * One claimed slot of a rate limit bucket (security/rate-limit.ts numbers a bucket's slots along time).
 * `at` is when the claim was made; the record may be forgotten from `expiresAt` on (TTL cleanup).
 */
export interface RateLimitClaim {
  readonly key: string;
  readonly slot: number;
  readonly at: Date;
  readonly expiresAt: Date;
}

/**
 * Rate limit slots, shared by every instance. Claims are insert-only and never updated — FerretDB's
 * conditional updates and `$inc` are not atomic, an insert refused on a duplicate key is — so each slot
 * of a key goes to exactly one caller however many race for it, on any backend.
 */
export interface RateLimitStore {
  /** Claims the slot: `true` for exactly one caller, `false` when it is already taken. */
  claim(claim: RateLimitClaim): Promise<boolean>;
  /** The highest claimed slot of `key` at or above `from`; slots below `from` are past and never read. */
  highest(key: string, from: number): Promise<number | undefined>;
}

/** Everything Portcullis keeps, behind one handle built in the composition root. */
export interface Store {
  readonly kind: 'memory' | 'mongodb';
  readonly models: ModelStores;
  readonly accounts: AccountStore;
  readonly clients: ClientStore;
  readonly resourceServers: ResourceServerStore;
  readonly deviceSessions: DeviceSessionStore;
  readonly loginAttempts: LoginAttemptStore;
  readonly securityEvents: SecurityEventStore;
  readonly rateLimits: RateLimitStore;
  /** Resolves when the backend answers; rejects otherwise (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
