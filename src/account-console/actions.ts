/**
 * What a person can do on the account page: end one session or every other one, revoke an app (its
 * grants and every token issued from them), change the password (the current one is required; every
 * other session is signed out), sign out here. Each acts only on the signed-in person's own records,
 * and each is a security event; the request behind it (address, user agent, session) reaches the event
 * from the request's scope (security/events.ts), as these functions are not handed the request.
 */
import type { PasswordHasher } from '../accounts/index.ts';
import { AppError } from '../http/errors.ts';
import { t } from '../i18n/index.ts';
import type { SecurityEvents } from '../security/index.ts';
import { GRANTABLE_MODELS, type Store } from '../store/index.ts';
import type { SignedIn } from './current-session.ts';
import { grantsOf } from './view-model.ts';

export type PasswordCheck = (password: string) => { ok: true; password: string } | { ok: false; message: string };

export interface ActionDeps {
  readonly store: Store;
  readonly hasher: PasswordHasher;
  readonly events: SecurityEvents;
  readonly checkNewPassword: PasswordCheck;
}

async function endSession(store: Store, uid: string): Promise<void> {
  await store.models.model('Session').destroyByUid(uid);
  await store.deviceSessions.remove(uid);
}

/** Ends one of the person's other sessions; a uid that is not theirs is not found. */
export async function endOneSession(deps: ActionDeps, me: SignedIn, uid: string): Promise<void> {
  const mine = await deps.store.deviceSessions.listByAccount(me.accountId);
  if (uid === me.uid || !mine.some((s) => s.uid === uid)) {
    throw new AppError(404, 'not_found', t('account.sessions.notFound'));
  }
  await endSession(deps.store, uid);
  deps.events.emit('account.session_ended', { account_id: me.accountId });
}

export async function endOtherSessions(deps: ActionDeps, me: SignedIn): Promise<number> {
  const others = (await deps.store.deviceSessions.listByAccount(me.accountId)).filter((s) => s.uid !== me.uid);
  for (const s of others) await endSession(deps.store, s.uid);
  deps.events.emit('account.other_sessions_ended', { account_id: me.accountId, count: others.length });
  return others.length;
}

export async function signOutHere(deps: ActionDeps, me: SignedIn): Promise<void> {
  await endSession(deps.store, me.uid);
  deps.events.emit('account.logout', { account_id: me.accountId });
}

/** Revokes every grant the person gave this app, and with them every code and token issued from them. */
export async function revokeApp(deps: ActionDeps, me: SignedIn, clientId: string): Promise<void> {
  const grants = (await grantsOf(deps.store, me.accountId)).get(clientId);
  if (!grants) throw new AppError(404, 'not_found', t('account.apps.notFound'));
  for (const grant of grants) {
    const grantId = String(grant.jti);
    for (const model of GRANTABLE_MODELS) await deps.store.models.model(model).revokeByGrantId(grantId);
    await deps.store.models.model('Grant').destroy(grantId);
  }
  deps.events.emit('account.app_revoked', { account_id: me.accountId, client_id: clientId, count: grants.length });
}

export type PasswordChange = { ok: true; endedSessions: number } | { ok: false; message: string };

export async function changePassword(deps: ActionDeps, me: SignedIn, current: string, next: string): Promise<PasswordChange> {
  const account = await deps.store.accounts.findById(me.accountId);
  if (!account) throw new AppError(404, 'not_found', t('account.error.notFound'));
  if (!(await deps.hasher.verify(account.passwordHash, current))) {
    return { ok: false, message: t('account.password.currentIncorrect') };
  }
  const checked = deps.checkNewPassword(next);
  if (!checked.ok) return { ok: false, message: checked.message };
  await deps.store.accounts.upsertByEmail({
    email: account.email,
    emailVerified: account.emailVerified,
    name: account.name,
    passwordHash: await deps.hasher.hash(checked.password),
  });
  const endedSessions = await endOtherSessions(deps, me);
  deps.events.emit('account.password_changed', { account_id: me.accountId });
  return { ok: true, endedSessions };
}
