/**
 * Upserts the bootstrap file's clients, users and resource servers — idempotently: applying the same
 * file twice changes nothing, and an account keeps its id (`sub`). Everything is validated before
 * anything is written, so a bad file stops start-up with the path and field and leaves the store as it was.
 */
import { readFile } from 'node:fs/promises';
import type { default as Provider } from 'oidc-provider';
import { normalizeEmail, type PasswordHasher } from '../accounts/index.ts';
import { withSecretDigest } from '../security/index.ts';
import type { ClientMetadata, Store } from '../store/index.ts';
import { bootstrapFile, type BootstrapFile, type BootstrapInput } from './schema.ts';

export class BootstrapError extends Error {
  override readonly name = 'BootstrapError';
}

export interface BootstrapDeps {
  readonly store: Store;
  readonly hasher: PasswordHasher;
  /** Validates client metadata exactly as the provider will read it. */
  readonly validateClient: (metadata: ClientMetadata) => Promise<void>;
}

export function parseBootstrap(source: string, input: unknown): BootstrapFile {
  const result = bootstrapFile.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : '';
  throw new BootstrapError(`${source}: ${where || 'file'}: ${issue?.message ?? 'invalid'}`);
}

export async function readBootstrapFile(path: string): Promise<BootstrapFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new BootstrapError(`BOOTSTRAP_FILE ${path} cannot be read: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new BootstrapError(`BOOTSTRAP_FILE ${path} is not valid JSON: ${(err as Error).message}`);
  }
  return parseBootstrap(`BOOTSTRAP_FILE ${path}`, json);
}

/** Validates client metadata exactly as the provider will read it (see oidc/clients.ts). */
export function clientValidator(provider: Provider, toProvider: (m: ClientMetadata) => Record<string, unknown>): BootstrapDeps['validateClient'] {
  return async (metadata) => {
    await provider.Client.validate(toProvider(metadata) as never);
  };
}

export interface BootstrapSummary {
  readonly clients: number;
  readonly users: number;
  readonly resourceServers: number;
}

export async function applyBootstrap(source: string, input: BootstrapFile | BootstrapInput, deps: BootstrapDeps): Promise<BootstrapSummary> {
  const file = parseBootstrap(source, input);
  const { store, hasher } = deps;

  for (const [i, client] of file.clients.entries()) {
    try {
      await deps.validateClient(withSecretDigest(client));
    } catch (err) {
      const e = err as { error_description?: string; message?: string };
      throw new BootstrapError(`${source}: clients[${i}] (${client.client_id}): ${e.error_description ?? e.message}`);
    }
  }

  for (const server of file.resourceServers) {
    await store.resourceServers.upsert({
      identifier: server.identifier,
      name: server.name,
      scopes: server.scopes,
      accessTokenTTL: server.accessTokenTTL,
    });
  }
  for (const client of file.clients) await store.clients.upsert(withSecretDigest(client));
  for (const user of file.users) {
    const email = normalizeEmail(user.email);
    const existing = await store.accounts.findByEmail(email);
    // Keep the stored hash when the password is unchanged, so a restart rewrites nothing.
    const keep = user.password !== undefined && existing && (await hasher.verify(existing.passwordHash, user.password));
    const passwordHash = user.passwordHash ?? (keep && existing ? existing.passwordHash : await hasher.hash(user.password ?? ''));
    await store.accounts.upsertByEmail({ email, name: user.name, emailVerified: user.email_verified, passwordHash });
  }
  return { clients: file.clients.length, users: file.users.length, resourceServers: file.resourceServers.length };
}
