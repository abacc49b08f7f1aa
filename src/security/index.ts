// security/: response headers, CSRF, client-secret hashing, and the security event log (events.ts, provider-events.ts).
export { securityHeaders } from './headers.ts';
export { createCsrf, type Csrf, type CsrfPurpose } from './csrf.ts';
export {
  clientSecretMatches,
  digestClientSecret,
  generateClientSecret,
  withSecretDigest,
  MIN_CLIENT_SECRET_LENGTH,
} from './client-secrets.ts';
export {
  createSecurityEvents,
  securityEventsOf,
  sha256Hex,
  SECURITY_EVENTS,
  type RequestLike,
  type SecurityEventFields,
  type SecurityEventName,
  type SecurityEvents,
} from './events.ts';
export { attachProviderEvents, AUTHORIZATION_CODE_REUSED, REFRESH_TOKEN_REUSED } from './provider-events.ts';
