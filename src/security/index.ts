// security/: response headers now; rate limits and the security event log join here.
export { securityHeaders } from './headers.ts';
