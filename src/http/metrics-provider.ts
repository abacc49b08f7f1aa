/**
 * oidc-provider's events as metrics. Attached to each Provider instance when it is built
 * (oidc/provider.ts): a key rotation builds a new one, and requests still inside the old one are
 * counted by the old one's listener, so nothing is counted twice or lost.
 */
import type { default as Provider } from 'oidc-provider';
import type { Metrics } from './metrics.ts';

export function attachProviderMetrics(provider: Provider, metrics: Pick<Metrics, 'tokenIssued'>): void {
  // `grant.success` fires once per token endpoint success, whatever the grant (refresh included).
  provider.on('grant.success', (ctx) => metrics.tokenIssued(ctx.oidc.params?.grant_type));
}
