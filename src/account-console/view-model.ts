/** What the account page shows: the person's live sessions and the apps they have granted access to. */
import Bowser from 'bowser';
import { t } from '../i18n/index.ts';
import { describeApiScope, describeOidcScope } from '../interactions/scope-text.ts';
import type { ModelPayload, Store } from '../store/index.ts';
import { ACCOUNT_CLIENT_ID } from './client.ts';

export interface SessionView {
  readonly uid: string;
  readonly browser: string;
  readonly os: string;
  readonly ip: string;
  readonly signedInAt: string;
  readonly lastActiveAt: string;
  readonly current: boolean;
}

export interface AppView {
  readonly clientId: string;
  readonly name: string;
  readonly scopes: string[];
  readonly since: string;
}

function describeAgent(userAgent: string): { browser: string; os: string } {
  if (!userAgent) return { browser: t('account.sessions.unknownBrowser'), os: t('account.sessions.unknownOs') };
  const parsed = Bowser.parse(userAgent);
  const browser = [parsed.browser.name, parsed.browser.version?.split('.')[0]].filter(Boolean).join(' ');
  const os = [parsed.os.name, parsed.os.versionName ?? parsed.os.version].filter(Boolean).join(' ');
  return { browser: browser || t('account.sessions.unknownBrowser'), os: os || t('account.sessions.unknownOs') };
}

/** Live sessions of the account, newest activity first; entries whose session has ended are dropped. */
export async function sessionsOf(store: Store, accountId: string, currentUid: string): Promise<SessionView[]> {
  const views: SessionView[] = [];
  for (const entry of await store.deviceSessions.listByAccount(accountId)) {
    if (!(await store.models.model('Session').findByUid(entry.uid))) {
      await store.deviceSessions.remove(entry.uid);
      continue;
    }
    views.push({
      uid: entry.uid,
      ...describeAgent(entry.userAgent),
      ip: entry.ip,
      signedInAt: entry.signedInAt.toISOString(),
      lastActiveAt: entry.lastActiveAt.toISOString(),
      current: entry.uid === currentUid,
    });
  }
  return views;
}

function grantScopes(grant: ModelPayload): string[] {
  const openid = (grant.openid as { scope?: string } | undefined)?.scope ?? '';
  const resources = Object.values((grant.resources as Record<string, string> | undefined) ?? {});
  return [
    ...openid.split(' ').filter(Boolean).map(describeOidcScope),
    ...resources.flatMap((scope) => scope.split(' ').filter(Boolean)).map(describeApiScope),
  ];
}

/** The account's grants, one entry per app (the account page itself is not an app to revoke). */
export async function grantsOf(store: Store, accountId: string): Promise<Map<string, ModelPayload[]>> {
  const byClient = new Map<string, ModelPayload[]>();
  for (const grant of await store.models.model('Grant').findByAccountId(accountId)) {
    const clientId = String(grant.clientId);
    if (clientId === ACCOUNT_CLIENT_ID) continue;
    byClient.set(clientId, [...(byClient.get(clientId) ?? []), grant]);
  }
  return byClient;
}

export async function appsOf(store: Store, accountId: string): Promise<AppView[]> {
  const apps: AppView[] = [];
  for (const [clientId, grants] of await grantsOf(store, accountId)) {
    const client = await store.clients.find(clientId);
    const since = Math.min(...grants.map((g) => Number(g.iat ?? 0)));
    apps.push({
      clientId,
      name: typeof client?.client_name === 'string' ? client.client_name : clientId,
      scopes: [...new Set(grants.flatMap(grantScopes))],
      since: new Date(since * 1000).toISOString(),
    });
  }
  return apps.sort((a, b) => a.name.localeCompare(b.name));
}
