/**
 * Dev mode's demo: one public client (PKCE, no secret — what a SPA or native app is), one user and one
 * resource server, so `npm start` can be tried at once. Never seeded in production.
 */
import type { BootstrapInput } from './schema.ts';

export const DEMO_PASSWORD = 'portcullis-demo-password';

export function demoBootstrap(issuer: string): BootstrapInput {
  return {
    clients: [
      {
        client_id: 'demo-app',
        client_name: 'Portcullis Demo App',
        redirect_uris: ['http://localhost:8080/callback', 'https://oauth.pstmn.io/v1/callback'],
        post_logout_redirect_uris: ['http://localhost:8080/'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
        scope: 'openid profile email offline_access api:read api:write',
      },
    ],
    users: [{ email: 'demo@example.com', password: DEMO_PASSWORD, name: 'Demo User' }],
    resourceServers: [{ identifier: `${issuer}/demo-api`, name: 'Demo API', scopes: ['api:read', 'api:write'], accessTokenTTL: 600 }],
  };
}

export function demoInstructions(issuer: string): string {
  return [
    'Demo seeded (dev mode):',
    `  discovery      ${issuer}/.well-known/openid-configuration`,
    '  client         demo-app (public, PKCE), redirect_uri http://localhost:8080/callback',
    `  user           demo@example.com / ${DEMO_PASSWORD}`,
    `  resource       ${issuer}/demo-api (scopes api:read api:write)`,
    '  walkthrough    README.md, "Try it in five minutes"',
  ].join('\n');
}
