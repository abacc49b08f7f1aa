// security/: response headers and client-secret hashing; rate limits and the security event log join here.
export { securityHeaders } from './headers.ts';
export { createCsrf, type Csrf, type CsrfPurpose } from './csrf.ts';
export {
  clientSecretMatches,
  digestClientSecret,
  generateClientSecret,
  withSecretDigest,
  MIN_CLIENT_SECRET_LENGTH,
} from './client-secrets.ts';
