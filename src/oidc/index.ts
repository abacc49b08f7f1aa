// oidc/: the oidc-provider configuration — features, ttl, claims, resource servers, clients, findAccount.
export { createProvider } from './provider.ts';
export { INTERACTION_PATH } from './configuration.ts';
export { OIDC_SCOPES, splitScope, isOidcScope } from './scopes.ts';
export { allowedApiScopes, toProviderClientMetadata } from './clients.ts';
export { createProviderHandle, type ProviderHandle } from './provider-handle.ts';
export { dropResumeQuery } from './resume-route.ts';
