/**
 * `events tail`: the security event log (security/events.ts) of the configured store, filtered by
 * account, client and age, newest last like `tail`. And `recordEvent`, how the other commands put their
 * changes (users, clients, resource servers) into the same log.
 */
import { z } from 'zod';
import { normalizeEmail } from '../accounts/index.ts';
import { createSecurityEvents, type SecurityEventFields, type SecurityEventName } from '../security/index.ts';
import type { SecurityEventRecord } from '../store/index.ts';
import { defineCommand, type Command, type CommandContext } from './command.ts';
import { CommandError } from './errors.ts';
import { table } from './output.ts';
import { clientId } from './values.ts';

/**
 * Logs and stores one event of an administrator's change, and waits for the store: the dispatcher
 * closes it once the command returns. Without MONGODB_URI (the keys commands) the event is logged only.
 * A store that fails is logged, and the command still succeeds: the change itself is made.
 */
export async function recordEvent(ctx: CommandContext, event: SecurityEventName, fields: SecurityEventFields): Promise<void> {
  const store = ctx.config.mongodbUri ? (await ctx.store()).securityEvents : undefined;
  const events = createSecurityEvents({ logger: ctx.logger, store, retentionDays: ctx.config.securityEvents.retentionDays });
  events.emit(event, { ...fields, actor: 'cli' });
  await events.flush();
}

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `30m`, `1h`, `2d` (before now), or an ISO 8601 time. */
export function parseSince(value: string, now: number = Date.now()): Date | undefined {
  const relative = /^(\d{1,6})([smhd])$/.exec(value);
  if (relative) return new Date(now - Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS]);
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time);
}

const since = z.string().transform((value, ctx) => {
  const parsed = parseSince(value);
  if (!parsed) ctx.addIssue({ code: 'custom', message: 'must be a duration (30m, 1h, 2d) or an ISO 8601 time' });
  return parsed ?? new Date(0);
});

/** One event as JSON: the store's record in the log's own words. */
function eventView(record: SecurityEventRecord) {
  return {
    time: record.time.toISOString(),
    event: record.event,
    ...(record.clientId === undefined ? {} : { client_id: record.clientId }),
    ...(record.accountId === undefined ? {} : { account_id: record.accountId }),
    ...record.details,
    event_id: record.id,
  };
}

/** One event as a line: time, event, then `key=value` for the rest (a hash shortened to 12 characters). */
function eventLine(record: SecurityEventRecord): string[] {
  const { time, event, event_id: _id, ...rest } = eventView(record);
  const pairs = Object.entries(rest).map(([key, value]) => {
    const shown = typeof value === 'string' && /^[0-9a-f]{64}$/.test(value) ? `${value.slice(0, 12)}…` : String(value);
    return `${key}=${/\s/.test(shown) ? JSON.stringify(shown) : shown}`;
  });
  return [time, event, pairs.join(' ')];
}

const tail = defineCommand({
  name: 'events tail',
  flags: '[--account SUB|EMAIL] [--client ID] [--since 1h|30m|2d|ISO] [--limit N]',
  summary: 'show the latest security events (sign-ins, consents, tokens, revocations, admin changes), newest last',
  options: { account: { type: 'string' }, client: { type: 'string' }, since: { type: 'string' }, limit: { type: 'string' } },
  schema: z.object({
    account: z.string().trim().min(1, 'must not be empty').max(320).optional(),
    client: clientId.optional(),
    since: since.optional(),
    limit: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000').default(50),
  }),
  async run(values, ctx) {
    const store = await ctx.store();
    let accountId = values.account;
    // An email names the account whose `sub` the log keeps.
    if (accountId?.includes('@')) {
      const account = await store.accounts.findByEmail(normalizeEmail(accountId));
      if (!account) throw new CommandError(`no user ${accountId}`);
      accountId = account.id;
    }
    const newestFirst = await store.securityEvents.query({ accountId, clientId: values.client, since: values.since, limit: values.limit });
    const records = newestFirst.reverse();
    return { json: records.map(eventView), text: table(records.map(eventLine), 'no security events') };
  },
});

export const eventCommands: readonly Command[] = [tail];
