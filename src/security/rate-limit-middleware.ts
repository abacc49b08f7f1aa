/**
 * Rate limits on the protocol endpoints and the login form, in the outer app before oidc-provider is
 * mounted: a token bucket per endpoint group and client address, and one per group and client_id
 * (security/rate-limit.ts). The address is always counted first — naming a client never exempts a
 * request from its address's limit — and a request refused by it spends none of the client's tokens.
 *
 * Beyond a limit the answer is `429 Too Many Requests` with `Retry-After` (whole seconds, at least 1)
 * and the OAuth error shape, `{"error":"rate_limit_exceeded","error_description":…}` (no OAuth error
 * code means "slow down" outside the device flow's `slow_down`, so the code is ours, README Rate limits);
 * a browser gets the error page with the same status. It is thrown to the error boundary
 * (http/error-middleware.ts), the one serializer, which keeps the header. An `/auth` request is refused
 * on the page, not by a redirect: its redirect_uri is not checked yet.
 *
 * A store that fails does not turn every request into an error: the request goes through unlimited and
 * the failure is logged as a warning (at most once a minute). Availability wins here because the limits
 * guard against floods, while the endpoints behind them do their own checks against the same store.
 */
import { createHash } from 'node:crypto';
import type { Context, Next } from 'koa';
import { addressKey } from '../accounts/index.ts';
import type { Config, RateLimitGroup } from '../config/config.ts';
import { t } from '../i18n/index.ts';
import type { Logger } from '../logging/index.ts';
import type { Clock } from '../store/index.ts';
import type { Bucket, RateLimiter } from './rate-limit.ts';
import { clientIdOf, rateLimitGroupOf } from './rate-limit-routes.ts';

/** Our error code for a refusal by rate limit (README, Rate limits). */
export const RATE_LIMIT_EXCEEDED = 'rate_limit_exceeded';

/** What the error boundary serializes: status 429, our code, a description safe to show. */
export class RateLimitExceeded extends Error {
  override readonly name = 'RateLimitExceeded';
  readonly status = 429;
  readonly expose = true;
  readonly error = RATE_LIMIT_EXCEEDED;
  readonly error_description: string;
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number) {
    const description = t('login.throttled', { count: retryAfterSeconds });
    super(`${RATE_LIMIT_EXCEEDED}: ${description}`);
    this.error_description = description;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

const WARN_EVERY_MS = 60_000;

type Scope = 'ip' | 'client';

export interface RateLimitDeps {
  readonly limits: Config['rateLimits'];
  readonly limiter: RateLimiter;
  readonly logger: Logger;
  readonly clock: Clock;
}

/** A client_id is caller-chosen text of any length: its digest keeps store keys short. */
function clientKey(clientId: string): string {
  return createHash('sha256').update(clientId, 'utf8').digest('base64url');
}

export function rateLimits({ limits, limiter, logger, clock }: RateLimitDeps) {
  let warnedAt = Number.NEGATIVE_INFINITY;

  /** Seconds to wait when the bucket is empty; `undefined` when the request may go on, or the store failed. */
  async function refusal(group: RateLimitGroup, scope: Scope, id: string, bucket: Bucket, logged: Record<string, string>): Promise<number | undefined> {
    let verdict;
    try {
      verdict = await limiter.take(`${group}:${scope}:${id}`, bucket);
    } catch (err) {
      const now = clock();
      if (now - warnedAt >= WARN_EVERY_MS) {
        warnedAt = now;
        logger.warn({ err, event: 'rate_limit.unavailable', group }, 'rate limit store failed; letting requests through unlimited');
      }
      return undefined;
    }
    if (verdict.allowed) return undefined;
    // Once per key and retry period: the refusals after it are decided locally (the error boundary logs each at debug).
    if (!verdict.local) logger.info({ event: 'rate_limit.exceeded', group, scope, ...logged, retry_after: verdict.retryAfterSeconds }, 'rate limit reached');
    return verdict.retryAfterSeconds;
  }

  return async function limitRates(ctx: Context, next: Next): Promise<void> {
    const group = limits.enabled ? rateLimitGroupOf(ctx) : undefined;
    if (group) {
      const { ip, client } = limits.groups[group];
      let retryAfter = ip ? await refusal(group, 'ip', addressKey(ctx.ip), ip, { ip: ctx.ip }) : undefined;
      if (retryAfter === undefined && client) {
        const clientId = await clientIdOf(ctx, group);
        if (clientId) retryAfter = await refusal(group, 'client', clientKey(clientId), client, { ip: ctx.ip, client_id: clientId.slice(0, 100) });
      }
      if (retryAfter !== undefined) {
        ctx.set('Retry-After', String(retryAfter));
        throw new RateLimitExceeded(retryAfter);
      }
    }
    await next();
  };
}
