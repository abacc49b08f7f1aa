/**
 * Keeps the account page's list of browser sessions: oidc-provider emits `session.saved` whenever a
 * signed-in session is written (sign-in, and each authorization it serves) and `session.destroyed` on
 * logout. The request behind the event (IP, user agent) comes from the provider's async context.
 */
import Provider from 'oidc-provider';
import type { Logger } from '../logging/index.ts';
import type { Clock, DeviceSessionStore } from '../store/index.ts';

interface SessionLike {
  uid: string;
  accountId?: string;
  loginTs?: number;
}

export interface TrackingDeps {
  readonly deviceSessions: DeviceSessionStore;
  readonly sessionTtlSeconds: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

export function describeRequest(ctx: { ip?: string; get?: (h: string) => string } | undefined): { ip: string; userAgent: string } {
  return { ip: ctx?.ip ?? '', userAgent: ctx?.get?.('user-agent') ?? '' };
}

export async function touchDeviceSession(
  deps: TrackingDeps,
  session: SessionLike,
  request: { ip: string; userAgent: string },
): Promise<void> {
  if (!session.accountId) return;
  const now = deps.clock();
  await deps.deviceSessions.record(
    {
      uid: session.uid,
      accountId: session.accountId,
      ...request,
      signedInAt: new Date(session.loginTs ? session.loginTs * 1000 : now),
      lastActiveAt: new Date(now),
    },
    deps.sessionTtlSeconds,
  );
}

export function trackDeviceSessions(provider: Provider, deps: TrackingDeps): void {
  const failed = (err: unknown) => deps.logger.error({ err }, 'device session bookkeeping failed');
  provider.on('session.saved', (session: SessionLike) => {
    touchDeviceSession(deps, session, describeRequest(Provider.ctx)).catch(failed);
  });
  provider.on('session.destroyed', (session: SessionLike) => {
    deps.deviceSessions.remove(session.uid).catch(failed);
  });
}
