/**
 * Loads the interaction behind a hosted page. An expired or missing one (oidc-provider's SessionNotFound,
 * or a uid that is not the cookie's) becomes a friendly page with a way back to the app — never a 500.
 */
import type { Context } from 'koa';
import { errors, type default as Provider, type Interaction } from 'oidc-provider';
import { AppError } from '../http/errors.ts';
import { t } from '../i18n/index.ts';
import type { ClientMetadata, ClientStore } from '../store/index.ts';

/** Where "back to the app" leads: the client's registered home page, else its first web redirect URI's origin. */
export function appHome(client: ClientMetadata): { url: string; label: string } | undefined {
  const label = typeof client.client_name === 'string' ? client.client_name : client.client_id;
  if (typeof client.client_uri === 'string' && /^https?:\/\//i.test(client.client_uri)) return { url: client.client_uri, label };
  const uris = Array.isArray(client.redirect_uris) ? client.redirect_uris : [];
  for (const uri of uris) {
    if (typeof uri === 'string' && /^https?:\/\//i.test(uri)) return { url: new URL(uri).origin, label };
  }
  return undefined;
}

export async function loadInteraction(ctx: Context, provider: Provider, clients: ClientStore): Promise<Interaction> {
  try {
    const interaction = await provider.interactionDetails(ctx.req, ctx.res);
    if (interaction.uid !== ctx.params.uid) throw new errors.SessionNotFound('interaction uid mismatch');
    return interaction;
  } catch (err) {
    if (!(err instanceof errors.SessionNotFound)) throw err;
    // client_id comes from our own interaction URL; it only selects a registered client's home page.
    const clientId = typeof ctx.query.client_id === 'string' ? ctx.query.client_id : undefined;
    const client = clientId ? await clients.find(clientId) : undefined;
    throw new AppError(400, 'session_not_found', t('interaction.expired'), { back: client ? appHome(client) : undefined });
  }
}
