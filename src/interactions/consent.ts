/**
 * The consent step: show the app's name and what it asks for in plain words; on allow, record a Grant
 * with exactly the missing OpenID scopes, claims and API scopes; on deny, answer `access_denied`.
 */
import type { Context } from 'koa';
import type { default as Provider, Interaction } from 'oidc-provider';
import type { PageRenderer } from '../http/render.ts';
import { securityEventsOf } from '../security/index.ts';
import type { AccountStore, ResourceServerStore } from '../store/index.ts';
import { consentForm } from './forms.ts';
import { clientNameOf, interactionUrl } from './login.ts';
import { describeApiScope, describeOidcScope } from './scope-text.ts';

export interface ConsentDeps {
  readonly provider: Provider;
  readonly pages: PageRenderer;
  readonly accounts: AccountStore;
  readonly resourceServers: ResourceServerStore;
}

interface ConsentDetails {
  missingOIDCScope?: string[];
  missingOIDCClaims?: string[];
  missingResourceScopes?: Record<string, string[]>;
}

function detailsOf(interaction: Interaction): ConsentDetails {
  return interaction.prompt.details as ConsentDetails;
}

export async function showConsent(ctx: Context, deps: ConsentDeps, interaction: Interaction): Promise<void> {
  const details = detailsOf(interaction);
  const account = interaction.session?.accountId ? await deps.accounts.findById(interaction.session.accountId) : undefined;
  const resources = await Promise.all(
    Object.entries(details.missingResourceScopes ?? {}).map(async ([identifier, scopes]) => {
      const server = await deps.resourceServers.find(identifier);
      return { name: server?.name ?? identifier, scopes: scopes.map(describeApiScope) };
    }),
  );
  ctx.type = 'html';
  ctx.body = deps.pages.render('consent', {
    clientName: await clientNameOf(deps.provider, interaction),
    email: account?.email ?? '',
    scopes: (details.missingOIDCScope ?? []).map(describeOidcScope),
    resources,
    action: interactionUrl(interaction, 'consent'),
  });
}

async function grantFor(provider: Provider, interaction: Interaction) {
  const { accountId } = interaction.session ?? {};
  const clientId = String(interaction.params.client_id);
  const existing = interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined;
  return existing ?? new provider.Grant({ accountId, clientId });
}

const consentFields = (interaction: Interaction) => ({
  client_id: String(interaction.params.client_id),
  account_id: interaction.session?.accountId,
});

/** What this consent adds, as one scope string (OpenID scopes, then each API's); nothing when it adds none. */
function grantedScope(details: ConsentDetails): string | undefined {
  return [...(details.missingOIDCScope ?? []), ...Object.values(details.missingResourceScopes ?? {}).flat()].join(' ') || undefined;
}

export async function submitConsent(ctx: Context, deps: ConsentDeps, interaction: Interaction): Promise<void> {
  const parsed = consentForm.safeParse(ctx.request.body ?? {});
  const decision = parsed.success ? parsed.data.decision : 'deny';
  if (decision === 'deny') {
    securityEventsOf(ctx).emit('consent.denied', consentFields(interaction), ctx);
    return finish(ctx, deps.provider, { error: 'access_denied', error_description: 'the user denied the request' });
  }
  return grantConsent(ctx, deps, interaction);
}

/** Records the consent for exactly what the interaction is missing and finishes it. */
export async function grantConsent(ctx: Context, deps: ConsentDeps, interaction: Interaction): Promise<void> {
  const details = detailsOf(interaction);
  const grant = await grantFor(deps.provider, interaction);
  if (details.missingOIDCScope?.length) grant.addOIDCScope(details.missingOIDCScope.join(' '));
  if (details.missingOIDCClaims?.length) grant.addOIDCClaims(details.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(details.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  const grantId = await grant.save();
  securityEventsOf(ctx).emit('consent.granted', { ...consentFields(interaction), grant_id: grantId, scope: grantedScope(details) }, ctx);
  return finish(ctx, deps.provider, { consent: { grantId } });
}

/** Apps of the deployment itself (`first_party: true`) are consented to by the operator. */
export async function isFirstParty(provider: Provider, interaction: Interaction): Promise<boolean> {
  const client = await provider.Client.find(String(interaction.params.client_id));
  return client?.metadata().first_party === true;
}

export async function finish(ctx: Context, provider: Provider, result: Record<string, unknown>): Promise<void> {
  const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: true });
  ctx.status = 303;
  ctx.redirect(returnTo);
}
