/**
 * Client metadata is checked by oidc-provider itself, exactly as the bootstrap file is at start-up
 * (bootstrap's clientValidator over oidc/'s toProviderClientMetadata), so the CLI cannot store a client
 * the server would refuse to load. The provider is built from the server's configuration with
 * throw-away signing keys: validation only asks which algorithms it can sign with, and a running server
 * always has a key of each (signing/keystore.ts), whatever this machine's KEYS_DIR holds.
 */
import { clientValidator } from '../bootstrap/index.ts';
import type { Config } from '../config/index.ts';
import { createPageRenderer } from '../http/index.ts';
import type { Logger } from '../logging/index.ts';
import { createProvider, toProviderClientMetadata } from '../oidc/index.ts';
import { generateSigningKey, SIGNING_ALGS } from '../signing/index.ts';
import type { ClientMetadata, Store } from '../store/index.ts';
import { UsageError } from './errors.ts';

export interface ValidationDeps {
  readonly config: Config;
  readonly store: Store;
  readonly logger: Logger;
}

/** Resolves when oidc-provider accepts the metadata; otherwise a UsageError with its reason. */
export async function validateClientMetadata(metadata: ClientMetadata, deps: ValidationDeps, usage: string): Promise<void> {
  const keys = await Promise.all(SIGNING_ALGS.map((alg) => generateSigningKey(alg)));
  const pages = createPageRenderer({ productName: 'Portcullis', cache: false });
  const provider = createProvider({ ...deps, keys, pages });
  try {
    await clientValidator(provider, toProviderClientMetadata)(metadata);
  } catch (err) {
    const e = err as { error_description?: unknown; message?: unknown };
    throw new UsageError(`invalid client metadata: ${String(e.error_description ?? e.message)}`, usage);
  }
}
