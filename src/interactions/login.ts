/**
 * The login step: show the form, check the password, finish the interaction with the account. A failed
 * attempt says only "email or password is incorrect" — nothing tells whether the email is registered.
 */
import type { Context } from 'koa';
import type { default as Provider, Interaction } from 'oidc-provider';
import type { Authenticator } from '../accounts/index.ts';
import type { PageRenderer } from '../http/render.ts';
import type { Logger } from '../logging/index.ts';
import { loginForm } from './forms.ts';

export const LOGIN_FAILED = 'Email or password is incorrect.';
const LOGIN_INCOMPLETE = 'Enter your email and password.';

export interface LoginDeps {
  readonly provider: Provider;
  readonly pages: PageRenderer;
  readonly authenticator: Authenticator;
  readonly logger: Logger;
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

export async function submitLogin(ctx: Context, deps: LoginDeps, interaction: Interaction): Promise<void> {
  const parsed = loginForm.safeParse(ctx.request.body);
  if (!parsed.success) {
    const email = (ctx.request.body as { email?: unknown } | undefined)?.email;
    return showLogin(ctx, deps, interaction, { email: typeof email === 'string' ? email : '', error: LOGIN_INCOMPLETE });
  }
  const { email, password } = parsed.data;
  const account = await deps.authenticator.authenticate(email, password);
  deps.logger.info(
    { event: account ? 'login.success' : 'login.failure', client_id: interaction.params.client_id, account_id: account?.id, ip: ctx.ip },
    'login attempt',
  );
  if (!account) return showLogin(ctx, deps, interaction, { email, error: LOGIN_FAILED });
  const returnTo = await deps.provider.interactionResult(ctx.req, ctx.res, { login: { accountId: account.id } }, { mergeWithLastSubmission: false });
  ctx.status = 303;
  ctx.redirect(returnTo);
}
