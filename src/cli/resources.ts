/**
 * `resources add|list`: resource servers (APIs). The identifier is the `resource` value clients send
 * (RFC 8707) and the `aud` of the JWT access tokens issued for it.
 */
import { z } from 'zod';
import type { ResourceServer } from '../store/index.ts';
import { defineCommand, type Command } from './command.ts';
import { CommandError } from './errors.ts';
import { recordEvent } from './events.ts';
import { table } from './output.ts';
import { absoluteUri, displayName, scopeList } from './values.ts';

/** The bootstrap file's vocabulary, so a listing can be pasted into one. */
function resourceView(server: ResourceServer) {
  return { identifier: server.identifier, name: server.name ?? null, scopes: server.scopes, accessTokenTTL: server.accessTokenTTL ?? null };
}

const add = defineCommand({
  name: 'resources add',
  flags: '--identifier URL --scope S... [--name N] [--access-token-ttl SECONDS]',
  summary: 'register a resource server and its scopes',
  options: {
    identifier: { type: 'string' },
    scope: { type: 'string', multiple: true },
    name: { type: 'string' },
    'access-token-ttl': { type: 'string' },
  },
  schema: z.object({
    identifier: absoluteUri,
    scope: scopeList.pipe(z.array(z.string()).min(1, 'must name at least one scope')),
    name: displayName.optional(),
    // The same bounds as ACCESS_TOKEN_TTL (config/schema.ts).
    'access-token-ttl': z.coerce
      .number({ error: 'must be a number of seconds' })
      .int('must be whole seconds')
      .min(30, 'must be at least 30 seconds')
      .max(86_400, 'must be at most 86400 seconds (a day)')
      .optional(),
  }),
  async run(values, ctx) {
    const store = await ctx.store();
    if (await store.resourceServers.find(values.identifier)) throw new CommandError(`resource server ${values.identifier} exists`);
    const server: ResourceServer = {
      identifier: values.identifier,
      name: values.name,
      scopes: values.scope,
      accessTokenTTL: values['access-token-ttl'],
    };
    await store.resourceServers.upsert(server);
    await recordEvent(ctx, 'resource_server.added', { resource: server.identifier });
    return { json: resourceView(server), text: [`created resource server ${server.identifier} (scopes ${server.scopes.join(' ')})`] };
  },
});

const list = defineCommand({
  name: 'resources list',
  summary: 'list resource servers',
  async run(_values, ctx) {
    const servers = (await (await ctx.store()).resourceServers.list()).map(resourceView);
    const rows = servers.map((s) => [s.identifier, s.scopes.join(' '), s.accessTokenTTL === null ? 'default ttl' : `${s.accessTokenTTL} s`, s.name ?? '']);
    return { json: servers, text: table(rows, 'no resource servers') };
  },
});

export const resourceCommands: readonly Command[] = [add, list];
