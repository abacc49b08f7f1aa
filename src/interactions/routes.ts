/**
 * The hosted pages' routes under /interaction/:uid — thin: load the interaction, hand it to the step.
 * POST routes live under the interaction path because the interaction cookie is scoped to it.
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import type { default as Provider, Interaction } from 'oidc-provider';
import type { Authenticator, LoginThrottle } from '../accounts/index.ts';
import { AppError } from '../http/errors.ts';
import { formBody } from '../http/form-body.ts';
import type { PageRenderer } from '../http/render.ts';
import { t } from '../i18n/index.ts';
import type { Logger } from '../logging/index.ts';
import type { Csrf } from '../security/index.ts';
import type { Store } from '../store/index.ts';
import { finish, grantConsent, isFirstParty, showConsent, submitConsent } from './consent.ts';
import { loadInteraction } from './load.ts';
import { showLogin, submitLogin } from './login.ts';

export interface InteractionDeps {
  readonly provider: Provider;
  readonly pages: PageRenderer;
  readonly authenticator: Authenticator;
  readonly throttle: LoginThrottle;
  readonly store: Store;
  readonly logger: Logger;
  readonly csrf: Csrf;
}

function wrongStep(): AppError {
  return new AppError(400, 'invalid_request', t('interaction.wrongStep'));
}

export function interactionRoutes(deps: InteractionDeps): Router {
  const { provider, store, csrf } = deps;
  /** Every page of an interaction carries its CSRF token; every POST must send it back. */
  const stepDeps = (interaction: Interaction) => {
    const pages = {
      render: (page: Parameters<PageRenderer['render']>[0], data: Record<string, unknown>) =>
        deps.pages.render(page, { csrf: csrf.token('interaction', interaction.uid), ...data }),
    };
    return { ...deps, pages, accounts: store.accounts, resourceServers: store.resourceServers };
  };
  const checkCsrf = (ctx: Context, interaction: Interaction) => {
    const token = (ctx.request.body as Record<string, unknown> | undefined)?.csrf;
    if (!csrf.verify('interaction', interaction.uid, token)) {
      throw new AppError(403, 'access_denied', t('interaction.formExpired'));
    }
  };
  const router = new Router({ prefix: '/interaction' });
  const forms = formBody();
  const noStore = async (ctx: Context, next: () => Promise<unknown>) => {
    ctx.set('Cache-Control', 'no-store');
    await next();
  };
  const load = (ctx: Context) => loadInteraction(ctx, provider, store.clients);

  router.get('/:uid', noStore, async (ctx) => {
    const interaction = await load(ctx);
    switch (interaction.prompt.name) {
      case 'login':
        return showLogin(ctx, stepDeps(interaction), interaction);
      case 'consent':
        if (await isFirstParty(provider, interaction)) return grantConsent(ctx, stepDeps(interaction), interaction);
        return showConsent(ctx, stepDeps(interaction), interaction);
      default:
        throw wrongStep();
    }
  });

  router.post('/:uid/login', noStore, forms, async (ctx) => {
    const interaction = await load(ctx);
    if (interaction.prompt.name !== 'login') throw wrongStep();
    checkCsrf(ctx, interaction);
    return submitLogin(ctx, stepDeps(interaction), interaction);
  });

  router.post('/:uid/consent', noStore, forms, async (ctx) => {
    const interaction = await load(ctx);
    if (interaction.prompt.name !== 'consent') throw wrongStep();
    checkCsrf(ctx, interaction);
    return submitConsent(ctx, stepDeps(interaction), interaction);
  });

  router.post('/:uid/abort', noStore, forms, async (ctx) => {
    const interaction = await load(ctx);
    checkCsrf(ctx, interaction);
    return finish(ctx, provider, { error: 'access_denied', error_description: 'the user cancelled the sign-in' });
  });

  return router;
}
