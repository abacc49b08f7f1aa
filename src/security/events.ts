/**
 * The security event log: one named event for each thing an operator may have to explain later (who
 * signed in from where, which app got which tokens, what was revoked and why). Each event is one pino
 * line and one record in the store (`security_events`, kept SECURITY_EVENTS_RETENTION_DAYS).
 *
 * What an event may carry is fixed here, not by its callers: the fields below, each checked, plus the
 * request's address, user agent and a SHA-256 of its session id — never a token, secret, password or
 * raw cookie (the logger redacts those names too, logging/logger.ts). A field that is not in the list
 * or fails its check is dropped with a warning naming it, never its value. Writing the record never
 * fails or delays the request: it happens in the background and a failure is logged.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomBytes } from 'node:crypto';
import type { Middleware } from 'koa';
import { z } from 'zod';
import type { Logger } from '../logging/index.ts';
import type { Clock, SecurityEventRecord, SecurityEventStore } from '../store/index.ts';

type Level = 'debug' | 'info' | 'warn';

interface EventKind {
  readonly level: Level;
  /** The log line's `msg`. */
  readonly message: string;
  /** Only for the debug-level notes: logged, not kept in the store. */
  readonly logOnly?: true;
}

/** Every event there is: its level and the sentence of its log line. */
export const SECURITY_EVENTS = {
  'login.success': { level: 'info', message: 'login attempt' },
  'login.failure': { level: 'info', message: 'login attempt' },
  'login.throttled': { level: 'warn', message: 'login attempt' },
  'consent.granted': { level: 'info', message: 'consent granted' },
  'consent.denied': { level: 'info', message: 'consent denied' },
  'token.issued': { level: 'info', message: 'token issued' },
  'refresh_token.reuse_detected': { level: 'warn', message: 'refresh token presented again; its grant is revoked' },
  'authorization_code.reuse_detected': { level: 'warn', message: 'authorization code presented again; its grant is revoked' },
  'grant.revoked': { level: 'info', message: 'grant revoked with every token issued from it' },
  logout: { level: 'info', message: 'signed out' },
  'key.published': { level: 'info', message: 'signing key published' },
  'key.activated': { level: 'info', message: 'signing key now signs' },
  'key.retired': { level: 'info', message: 'signing key retired' },
  'account.session_ended': { level: 'info', message: 'session ended from the account page' },
  'account.other_sessions_ended': { level: 'info', message: 'other sessions ended' },
  'account.logout': { level: 'info', message: 'signed out from the account page' },
  'account.app_revoked': { level: 'info', message: 'app access revoked' },
  'account.password_changed': { level: 'info', message: 'password changed' },
  'user.added': { level: 'info', message: 'user added' },
  'user.disabled': { level: 'info', message: 'user disabled' },
  'user.enabled': { level: 'info', message: 'user enabled' },
  'client.added': { level: 'info', message: 'client added' },
  'client.removed': { level: 'info', message: 'client removed' },
  'client.secret_rotated': { level: 'info', message: 'client secret rotated' },
  'resource_server.added': { level: 'info', message: 'resource server added' },
  'token.refused': { level: 'debug', message: 'token request refused', logOnly: true },
  'authorization.refused': { level: 'debug', message: 'authorization request refused', logOnly: true },
} as const satisfies Record<string, EventKind>;

export type SecurityEventName = keyof typeof SECURITY_EVENTS;

/**
 * A run of 32 or more token characters: what a token, secret or key looks like, and what no reason,
 * scope or name we write does. Free text carrying one is refused.
 */
const TOKEN_LIKE = /[A-Za-z0-9_\-.~+/=]{32,}/;
const text = (max: number) => z.string().min(1).max(max).refine((s) => !TOKEN_LIKE.test(s), 'looks like a token');
/** Client ids, grant types, key ids: visible ASCII (cli/values.ts `clientId`). */
const visible = (max: number) => z.string().regex(new RegExp(`^[\\x21-\\x7E]{1,${max}}$`));
const count = z.number().int().min(0).max(1e9);

/** Every field a caller may give, and what each must look like. */
const FIELDS = {
  client_id: visible(200),
  account_id: visible(200),
  grant_id: visible(200),
  // Read from the request as sent: a client that puts a token or its secret in the wrong field must not
  // get it logged (found by test/property: a refused token request logged the secret it carried here).
  grant_type: visible(100).refine((s) => !TOKEN_LIKE.test(s), 'looks like a token'),
  scope: z.string().max(1000).regex(/^[\x21\x23-\x5B\x5D-\x7E ]*$/),
  reason: text(200),
  email_sha256: z.string().regex(/^[0-9a-f]{64}$/),
  retry_after: count,
  count,
  kid: visible(200),
  alg: z.string().regex(/^[A-Za-z0-9]{1,20}$/),
  /** A resource server's identifier (RFC 8707: an absolute URI). */
  resource: z.url().max(500),
  /** Who acted when it was not the request's own user: an administrator at the CLI. */
  actor: z.enum(['cli']),
} satisfies Record<string, z.ZodType<string | number>>;

type FieldName = keyof typeof FIELDS;

/** What a caller may say about an event: only these, so no token can slip in by another name. */
export type SecurityEventFields = { readonly [K in FieldName]?: z.input<(typeof FIELDS)[K]> | undefined };

/** What an event reads from the request behind it: a Koa context, oidc-provider's included. */
export interface RequestLike {
  readonly ip?: string;
  get?(field: string): string;
  readonly cookies?: { get(name: string, options?: { signed?: boolean }): string | undefined };
  readonly oidc?: { readonly session?: unknown } | undefined;
}

export interface SecurityEvents {
  /**
   * Logs the event now and stores it in the background. `from` is the request behind it; without one,
   * the request this call runs inside of (see `scope`), if any.
   */
  emit(event: SecurityEventName, fields?: SecurityEventFields, from?: RequestLike): void;
  /** Koa middleware: the request's events carry its details, and its handlers find this log (`securityEventsOf`). */
  scope(): Middleware;
  /** Resolves once every record emitted so far is stored (or its failure logged). */
  flush(): Promise<void>;
}

export interface SecurityEventOptions {
  readonly logger: Logger;
  /** Where records go; without one (a CLI command with no store) events are logged only. */
  readonly store?: SecurityEventStore | undefined;
  readonly retentionDays: number;
  readonly clock?: Clock;
  /** oidc-provider's session cookie (its default name). */
  readonly sessionCookie?: string;
}

/** Stored records waiting for the store beyond this are logged only: a slow store must not grow memory. */
const MAX_PENDING = 1000;
const DAY_MS = 86_400_000;

export const sha256Hex = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

const SCOPED = Symbol('portcullis.securityEvents');

/** The security event log of the request (app.ts puts it there with `events.scope()`). */
export function securityEventsOf(ctx: { readonly state: unknown }): SecurityEvents {
  const events = (ctx.state as Record<symbol, SecurityEvents | undefined>)[SCOPED];
  if (!events) throw new Error('no security event log on this request: app.ts must use events.scope()');
  return events;
}

/** Ids that sort by time (ms, then a per-process sequence), so records of one ms keep their order. */
function idGenerator(): (time: number) => string {
  const instance = randomBytes(4).toString('hex');
  let sequence = 0;
  return (time) => {
    sequence = (sequence + 1) % 0x1000000;
    return `${time.toString(16).padStart(12, '0')}${sequence.toString(16).padStart(6, '0')}${instance}`;
  };
}

/** The session behind a request, hashed: the cookie it came with (verified), else the one it was given. */
function sessionHash(from: RequestLike, cookieName: string): string | undefined {
  let id: unknown;
  try {
    id = from.cookies?.get(cookieName, { signed: true });
  } catch {
    id = undefined; // a context without cookie keys: fall back to the provider's session
  }
  id ??= (from.oidc?.session as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' && id.length > 0 ? sha256Hex(id) : undefined;
}

function requestDetails(from: RequestLike | undefined, cookieName: string): Record<string, string> {
  if (!from) return {};
  const details: Record<string, string> = {};
  if (typeof from.ip === 'string' && from.ip.length > 0) details.ip = from.ip.slice(0, 64);
  // Control characters would let a user agent forge lines in a text view of the log.
  const userAgent = from.get?.('user-agent')?.replace(/[\x00-\x1f\x7f]/g, '').slice(0, 300);
  if (userAgent) details.user_agent = userAgent;
  const session = sessionHash(from, cookieName);
  if (session) details.session_sha256 = session;
  return details;
}

/** The fields that pass their checks, and the names of those that did not. */
function checkFields(fields: SecurityEventFields): { kept: Record<string, string | number>; dropped: string[] } {
  const kept: Record<string, string | number> = {};
  const dropped: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const schema = Object.hasOwn(FIELDS, key) ? FIELDS[key as FieldName] : undefined;
    const parsed = schema?.safeParse(value);
    if (parsed?.success) kept[key] = parsed.data;
    else dropped.push(key);
  }
  return { kept, dropped };
}

export function createSecurityEvents(options: SecurityEventOptions): SecurityEvents {
  const { logger, store, retentionDays, clock = Date.now, sessionCookie = '_session' } = options;
  const request = new AsyncLocalStorage<RequestLike>();
  const nextId = idGenerator();
  const pending = new Set<Promise<void>>();

  function keep(record: SecurityEventRecord): void {
    if (!store) return;
    if (pending.size >= MAX_PENDING) {
      logger.warn({ security_event: record.event, event_id: record.id }, 'security event store is behind; event logged only');
      return;
    }
    const write: Promise<void> = store
      .append(record)
      .catch((err: unknown) => logger.error({ err, security_event: record.event, event_id: record.id }, 'security event not stored'))
      .finally(() => pending.delete(write));
    pending.add(write);
  }

  const events: SecurityEvents = {
    emit(event, fields = {}, from = request.getStore()) {
      if (!Object.hasOwn(SECURITY_EVENTS, event)) {
        logger.warn({ security_event: String(event) }, 'unknown security event ignored');
        return;
      }
      const kind: EventKind = SECURITY_EVENTS[event];
      const { kept, dropped } = checkFields(fields);
      if (dropped.length > 0) logger.warn({ security_event: event, dropped_fields: dropped }, 'security event fields dropped');
      const { client_id: clientId, account_id: accountId, ...rest } = kept;
      const details = { ...rest, ...requestDetails(from, sessionCookie) };
      const now = clock();
      const id = nextId(now);
      logger[kind.level]({ event, event_id: id, client_id: clientId, account_id: accountId, ...details }, kind.message);
      if (kind.logOnly) return;
      keep({
        id,
        event,
        time: new Date(now),
        accountId: accountId === undefined ? undefined : String(accountId),
        clientId: clientId === undefined ? undefined : String(clientId),
        details,
        expiresAt: new Date(now + retentionDays * DAY_MS),
      });
    },
    scope() {
      return (ctx, next) => {
        (ctx.state as Record<symbol, unknown>)[SCOPED] = events;
        return request.run(ctx, next);
      };
    },
    async flush() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
  return events;
}
