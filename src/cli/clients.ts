/**
 * `clients add|list|remove|rotate-secret`: OAuth clients, as standard metadata (RFC 7591). A generated
 * secret (256 bits) is printed once, by `add` or `rotate-secret`, and only its SHA-256 digest is stored
 * (security/client-secrets.ts); no command ever prints a digest. Each change is a security event.
 */
import { z } from 'zod';
import { generateClientSecret, withSecretDigest } from '../security/index.ts';
import type { ClientMetadata } from '../store/index.ts';
import { defineCommand, type Command } from './command.ts';
import { CommandError } from './errors.ts';
import { recordEvent } from './events.ts';
import { table } from './output.ts';
import { absoluteUri, clientId, displayName, scopeList } from './values.ts';

const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const;
/** oidc-provider's default method (oidc/configuration.ts `clientDefaults`) when metadata names none. */
const DEFAULT_AUTH_METHOD = 'client_secret_basic';
const SECRET_METHODS = new Set(['client_secret_basic', 'client_secret_post']);

/** What the CLI shows of a client: its metadata without the secret digest. */
function clientView(metadata: ClientMetadata): Record<string, unknown> {
  const { client_secret_digest: _digest, ...view } = metadata;
  return view;
}

function authMethod(metadata: ClientMetadata): string {
  return typeof metadata.token_endpoint_auth_method === 'string' ? metadata.token_endpoint_auth_method : DEFAULT_AUTH_METHOD;
}

const redirectUris = (metadata: ClientMetadata) => (Array.isArray(metadata.redirect_uris) ? metadata.redirect_uris.join(' ') : '');

const secretLines = (secret: string) => [`client_secret: ${secret}`, 'Store it now: it is shown only this once, and only its digest is kept.'];

const addSchema = z
  .object({
    id: clientId,
    'redirect-uri': z.array(absoluteUri).default([]),
    'post-logout-redirect-uri': z.array(absoluteUri).default([]),
    name: displayName.optional(),
    public: z.boolean().default(false),
    scope: scopeList.optional(),
    'grant-type': z
      .array(z.enum(GRANT_TYPES, { error: `must be one of ${GRANT_TYPES.join(', ')}` }))
      .default(['authorization_code', 'refresh_token'])
      .transform((grants) => [...new Set(grants)]),
  })
  .refine((v) => !v['grant-type'].includes('authorization_code') || v['redirect-uri'].length > 0, {
    path: ['redirect-uri'],
    message: 'is required for the authorization_code grant',
  })
  // Anyone could ask for a public client's tokens: client_credentials needs a client that authenticates.
  .refine((v) => !(v.public && v['grant-type'].includes('client_credentials')), {
    path: ['public'],
    message: 'cannot be combined with --grant-type client_credentials',
  });

function metadataFrom(v: z.output<typeof addSchema>): ClientMetadata {
  const code = v['grant-type'].includes('authorization_code');
  return {
    client_id: v.id,
    ...(v.name === undefined ? {} : { client_name: v.name }),
    redirect_uris: v['redirect-uri'],
    ...(v['post-logout-redirect-uri'].length === 0 ? {} : { post_logout_redirect_uris: v['post-logout-redirect-uri'] }),
    grant_types: v['grant-type'],
    response_types: code ? ['code'] : [],
    token_endpoint_auth_method: v.public ? 'none' : DEFAULT_AUTH_METHOD,
    ...(v.scope === undefined ? {} : { scope: v.scope.join(' ') }),
  };
}

const add = defineCommand({
  name: 'clients add',
  flags:
    '--id ID --redirect-uri URI... [--name N] [--public] [--scope "S ..."] [--grant-type G...] [--post-logout-redirect-uri URI...]',
  summary: 'register a client; a confidential one gets a generated secret, printed once',
  options: {
    id: { type: 'string' },
    'redirect-uri': { type: 'string', multiple: true },
    'post-logout-redirect-uri': { type: 'string', multiple: true },
    name: { type: 'string' },
    public: { type: 'boolean' },
    scope: { type: 'string', multiple: true },
    'grant-type': { type: 'string', multiple: true },
  },
  schema: addSchema,
  async run(values, ctx, usage) {
    const metadata = metadataFrom(values);
    const secret = values.public ? undefined : generateClientSecret();
    const stored = secret === undefined ? metadata : withSecretDigest({ ...metadata, client_secret: secret });
    const store = await ctx.store();
    // Loaded here: oidc-provider is most of the CLI's start-up time, and only this command needs it.
    const { validateClientMetadata } = await import('./client-validation.ts');
    await validateClientMetadata(stored, { config: ctx.config, store, logger: ctx.logger }, usage);
    if (await store.clients.find(values.id)) throw new CommandError(`client ${values.id} exists`);
    await store.clients.upsert(stored);
    await recordEvent(ctx, 'client.added', { client_id: values.id });
    const kind = secret === undefined ? 'public, PKCE only' : `confidential, ${DEFAULT_AUTH_METHOD}`;
    return {
      json: { ...clientView(stored), ...(secret === undefined ? {} : { client_secret: secret }) },
      text: [`created client ${values.id} (${kind})`, ...(secret === undefined ? [] : secretLines(secret))],
    };
  },
});

const list = defineCommand({
  name: 'clients list',
  summary: 'list clients (never their secrets or digests)',
  async run(_values, ctx) {
    const clients = await (await ctx.store()).clients.list();
    const rows = clients.map((c) => [c.client_id, authMethod(c), String(c.client_name ?? ''), redirectUris(c)]);
    return { json: clients.map(clientView), text: table(rows, 'no clients') };
  },
});

/** The flags of the commands that name one existing client. */
const BY_ID = { flags: '--id ID', options: { id: { type: 'string' } }, schema: z.object({ id: clientId }) } as const;

const remove = defineCommand({
  name: 'clients remove',
  ...BY_ID,
  summary: 'delete a client (JWT access tokens already issued run until they expire)',
  async run(values, ctx) {
    if (!(await (await ctx.store()).clients.remove(values.id))) throw new CommandError(`no client ${values.id}`);
    await recordEvent(ctx, 'client.removed', { client_id: values.id });
    return { json: { client_id: values.id, removed: true }, text: [`removed client ${values.id}`] };
  },
});

const rotateSecret = defineCommand({
  name: 'clients rotate-secret',
  ...BY_ID,
  summary: 'replace a confidential client\'s secret with a new generated one, printed once',
  async run(values, ctx) {
    const store = await ctx.store();
    const existing = await store.clients.find(values.id);
    if (!existing) throw new CommandError(`no client ${values.id}`);
    const method = authMethod(existing);
    if (!SECRET_METHODS.has(method)) throw new CommandError(`client ${values.id} uses ${method}: it has no secret to rotate`);
    const secret = generateClientSecret();
    // The old secret stops working at once: there is one digest per client.
    await store.clients.upsert(withSecretDigest({ ...existing, client_secret: secret }));
    await recordEvent(ctx, 'client.secret_rotated', { client_id: values.id });
    return { json: { client_id: values.id, client_secret: secret }, text: [`new secret for client ${values.id}`, ...secretLines(secret)] };
  },
});

export const clientCommands: readonly Command[] = [add, list, remove, rotateSecret];
