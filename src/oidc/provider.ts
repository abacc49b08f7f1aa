/** Builds the oidc-provider instance from its configuration and wires its events to the logger. */
import Provider from 'oidc-provider';
import type { Logger } from '../logging/index.ts';
import { buildProviderConfiguration, type ProviderDeps } from './configuration.ts';

export function createProvider(deps: ProviderDeps & { readonly logger: Logger }): Provider {
  const provider = new Provider(deps.config.issuer, buildProviderConfiguration(deps));
  provider.proxy = deps.config.trustProxy;
  provider.on('server_error', (ctx, err) => {
    deps.logger.error({ err, path: ctx.path }, 'oidc-provider server error');
  });
  return provider;
}
