/**
 * The login step: show the form, ask the throttle, check the password, finish the interaction with the
 * account. A failed attempt says only "email or password is incorrect", and a throttled one only when to
 * try again — nothing tells whether the email is registered.
 */
import type { Context } from 'koa';
import type { default as Provider, Interaction } from 'oidc-provider';
import { emailDigest, type Authenticator, type LoginThrottle } from '../accounts/index.ts';
import type { PageRenderer } from '../http/render.ts';
import { t } from '../i18n/index.ts';
import { securityEventsOf } from '../security/index.ts';
import { loginForm } from './forms.ts';

export const LOGIN_FAILED = t('login.failed');

/** The same words for every email, known or not (accounts/throttle.ts decides without looking it up). */
export function tooManyAttempts(retryAfterSeconds: number): string {
  return t('login.throttled', { count: retryAfterSeconds });
}

export interface LoginDeps {
  readonly provider: Provider;
  readonly pages: PageRenderer;
  readonly authenticator: Authenticator;
  readonly throttle: LoginThrottle;
}

export async function clientNameOf(provider: Provider, interaction: Interaction): Promise<string> {
  const clientId = String(interaction.params.client_id);
  const client = await provider.Client.find(clientId);
  return String(client?.clientName ?? clientId);
}

/** A hosted form's action; `client_id` rides along so an expired page can still link back to the app. */
export function interactionUrl(interaction: Interaction, step: string): string {
  const clientId = encodeURIComponent(String(interaction.params.client_id ?? ''));
  return `/interaction/${interaction.uid}/${step}?client_id=${clientId}`;
}

export async function showLogin(
  ctx: Context,
  { provider, pages }: LoginDeps,
  interaction: Interaction,
  form: { email?: string; error?: string } = {},
): Promise<void> {
  ctx.type = 'html';
  ctx.body = pages.render('login', {
    clientName: await clientNameOf(provider, interaction),
    action: interactionUrl(interaction, 'login'),
    abortAction: interactionUrl(interaction, 'abort'),
    email: form.email ?? (typeof interaction.params.login_hint === 'string' ? interaction.params.login_hint : ''),
    error: form.error,
  });
}

/**
 * Throttle first, so a throttled attempt spends no password verification (and no account lookup); then
 * authenticate; then settle the attempt. Every attempt is one security event (security/events.ts):
 * the email only as its digest, never the password.
 */
export async function submitLogin(ctx: Context, deps: LoginDeps, interaction: Interaction): Promise<void> {
  const parsed = loginForm.safeParse(ctx.request.body);
  if (!parsed.success) {
    const email = (ctx.request.body as { email?: unknown } | undefined)?.email;
    return showLogin(ctx, deps, interaction, { email: typeof email === 'string' ? email : '', error: t('login.incomplete') });
  }
  const { email, password } = parsed.data;
  const events = securityEventsOf(ctx);
  const logged = { client_id: String(interaction.params.client_id), email_sha256: emailDigest(email) };

  const admission = await deps.throttle.admit(email, ctx.ip);
  if (admission.outcome === 'throttled') {
    const { reason, retryAfterSeconds } = admission;
    events.emit('login.throttled', { ...logged, reason, retry_after: retryAfterSeconds }, ctx);
    await showLogin(ctx, deps, interaction, { email, error: tooManyAttempts(retryAfterSeconds) });
    ctx.status = 429;
    ctx.set('Retry-After', String(retryAfterSeconds));
    return;
  }

  const account = await deps.authenticator.authenticate(email, password);
  if (!account) {
    await admission.failed();
    events.emit('login.failure', logged, ctx);
    return showLogin(ctx, deps, interaction, { email, error: LOGIN_FAILED });
  }
  await admission.succeeded();
  events.emit('login.success', { ...logged, account_id: account.id }, ctx);
  const returnTo = await deps.provider.interactionResult(ctx.req, ctx.res, { login: { accountId: account.id } }, { mergeWithLastSubmission: false });
  ctx.status = 303;
  ctx.redirect(returnTo);
}
