/** The browser's oidc-provider session (the `_session` cookie), when someone is signed in with it. */
import type { Context } from 'koa';
import type { default as Provider } from 'oidc-provider';

export interface SignedIn {
  readonly uid: string;
  readonly accountId: string;
  readonly loginTs: number | undefined;
}

export async function currentSession(ctx: Context, provider: Provider): Promise<SignedIn | undefined> {
  const session = await (provider.Session as unknown as { get(ctx: Context): Promise<{ uid: string; accountId?: string; loginTs?: number }> }).get(ctx);
  if (!session.accountId) return undefined;
  return { uid: session.uid, accountId: session.accountId, loginTs: session.loginTs };
}
