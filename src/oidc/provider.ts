/** Builds the oidc-provider instance from its configuration and wires its events to the logger and the security event log. */
import Provider from 'oidc-provider';
import { attachProviderMetrics } from '../http/metrics-provider.ts';
import type { Metrics } from '../http/metrics.ts';
import type { Logger } from '../logging/index.ts';
import { attachProviderEvents, clientSecretMatches, type SecurityEvents } from '../security/index.ts';
import { buildProviderConfiguration, type ProviderDeps } from './configuration.ts';

/**
 * `events` is the security event log and `metrics` the Prometheus counters; a provider built only to
 * validate client metadata (the CLI) serves no request and goes without. Listeners are attached to this
 * instance alone, so each rebuild has its own.
 */
export function createProvider(
  deps: ProviderDeps & { readonly logger: Logger; readonly events?: SecurityEvents; readonly metrics?: Pick<Metrics, 'tokenIssued'> },
): Provider {
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
  if (deps.events) attachProviderEvents(provider, deps.events);
  if (deps.metrics) attachProviderMetrics(provider, deps.metrics);
  return provider;
}
