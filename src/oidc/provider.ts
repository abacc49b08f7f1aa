/** Builds the oidc-provider instance from its configuration and wires its events to the logger. */
import Provider from 'oidc-provider';
import type { Logger } from '../logging/index.ts';
import { clientSecretMatches } from '../security/index.ts';
import { buildProviderConfiguration, type ProviderDeps } from './configuration.ts';

export function createProvider(deps: ProviderDeps & { readonly logger: Logger }): Provider {
  const provider = new Provider(deps.config.issuer, buildProviderConfiguration(deps));
  provider.proxy = deps.config.trustProxy;
  // Stored secrets are SHA-256 digests (security/client-secrets.ts): compare the presented secret's
  // digest in constant time instead of oidc-provider's plain comparison.
  const clientPrototype = provider.Client.prototype as unknown as {
    clientSecret: string;
    compareClientSecret(actual: string): Promise<boolean>;
  };
  clientPrototype.compareClientSecret = async function compareClientSecret(this: { clientSecret: string }, actual: string) {
    return typeof actual === 'string' && clientSecretMatches(actual, this.clientSecret);
  };
  provider.on('server_error', (ctx, err) => {
    deps.logger.error({ err, path: ctx.path }, 'oidc-provider server error');
  });
  return provider;
}
