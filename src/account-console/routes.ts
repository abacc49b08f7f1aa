/**
 * /account: the signed-in person's own page. Every route first finds the browser's session (or starts
 * the hosted sign-in); every action is a POST carrying the session-bound CSRF token.
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import type { default as Provider } from 'oidc-provider';
import { AppError } from '../http/errors.ts';
import { formBody } from '../http/form-body.ts';
import type { PageRenderer } from '../http/render.ts';
import { t } from '../i18n/index.ts';
import type { Csrf } from '../security/index.ts';
import { changePassword, endOneSession, endOtherSessions, revokeApp, signOutHere, type ActionDeps } from './actions.ts';
import { ACCOUNT_PATH } from './client.ts';
import { currentSession, type SignedIn } from './current-session.ts';
import { describeRequest, touchDeviceSession, type TrackingDeps } from './device-tracking.ts';
import { finishSignIn, startSignIn } from './sign-in.ts';
import { appsOf, sessionsOf } from './view-model.ts';

export interface AccountConsoleDeps extends ActionDeps {
  readonly provider: Provider;
  readonly pages: PageRenderer;
  readonly csrf: Csrf;
  readonly issuer: string;
  readonly tracking: TrackingDeps;
}

/** Notices are chosen by key, so the query string can never put text on the page. */
const NOTICES = {
  'session-ended': () => t('account.notice.sessionEnded'),
  'others-ended': () => t('account.notice.othersEnded'),
  'app-revoked': () => t('account.notice.appRevoked'),
  'password-changed': () => t('account.notice.passwordChanged'),
} as const;

type Notice = keyof typeof NOTICES;

function noticeText(notice: unknown): string | undefined {
  return typeof notice === 'string' && Object.hasOwn(NOTICES, notice) ? NOTICES[notice as Notice]() : undefined;
}

async function render(ctx: Context, deps: AccountConsoleDeps, me: SignedIn, extra: { passwordError?: string } = {}) {
  const account = await deps.store.accounts.findById(me.accountId);
  if (!account || account.disabled) throw new AppError(403, 'access_denied', t('account.error.unusable'));
  await touchDeviceSession(deps.tracking, me, describeRequest(ctx));
  const notice = noticeText(ctx.query.notice);
  ctx.type = 'html';
  ctx.body = deps.pages.render('account', {
    email: account.email,
    name: account.name,
    csrf: deps.csrf.token('account', me.uid),
    notice,
    ...extra,
    sessions: await sessionsOf(deps.store, me.accountId, me.uid),
    apps: await appsOf(deps.store, me.accountId),
  });
}

export function accountRoutes(deps: AccountConsoleDeps): Router {
  const router = new Router({ prefix: ACCOUNT_PATH });
  const forms = formBody();

  const noStore = async (ctx: Context, next: () => Promise<unknown>) => {
    ctx.set('Cache-Control', 'no-store');
    await next();
  };
  /** A POST from the signed-in person's own page: session found, CSRF token checked. */
  const signedInPost = async (ctx: Context): Promise<SignedIn> => {
    const me = await currentSession(ctx, deps.provider);
    if (!me) throw new AppError(401, 'access_denied', t('account.error.signedOut'));
    const token = (ctx.request.body as Record<string, unknown> | undefined)?.csrf;
    if (!deps.csrf.verify('account', me.uid, token)) {
      throw new AppError(403, 'access_denied', t('account.error.formExpired'));
    }
    return me;
  };
  const done = (ctx: Context, notice: Notice) => {
    ctx.status = 303;
    ctx.redirect(`${ACCOUNT_PATH}?notice=${notice}`);
  };

  router.get('/', noStore, async (ctx) => {
    const me = await currentSession(ctx, deps.provider);
    if (!me) return startSignIn(ctx, deps.issuer);
    return render(ctx, deps, me);
  });
  router.get('/callback', noStore, (ctx) => finishSignIn(ctx, deps.provider));

  router.post('/sessions/end-others', noStore, forms, async (ctx) => {
    await endOtherSessions(deps, await signedInPost(ctx));
    done(ctx, 'others-ended');
  });
  router.post('/sessions/:uid/end', noStore, forms, async (ctx) => {
    await endOneSession(deps, await signedInPost(ctx), ctx.params.uid ?? '');
    done(ctx, 'session-ended');
  });
  router.post('/apps/:clientId/revoke', noStore, forms, async (ctx) => {
    await revokeApp(deps, await signedInPost(ctx), ctx.params.clientId ?? '');
    done(ctx, 'app-revoked');
  });
  router.post('/password', noStore, forms, async (ctx) => {
    const me = await signedInPost(ctx);
    const body = ctx.request.body as Record<string, unknown>;
    const current = typeof body.current_password === 'string' ? body.current_password : '';
    const next = typeof body.new_password === 'string' ? body.new_password : '';
    const result = await changePassword(deps, me, current, next);
    if (result.ok) return done(ctx, 'password-changed');
    ctx.status = 400;
    return render(ctx, deps, me, { passwordError: result.message });
  });
  // "Sign out everywhere": every other session first, then this one.
  router.post('/logout', noStore, forms, async (ctx) => {
    const me = await signedInPost(ctx);
    await endOtherSessions(deps, me);
    await signOutHere(deps, me);
    ctx.type = 'html';
    ctx.body = deps.pages.render('logged-out', {});
  });
  return router;
}
