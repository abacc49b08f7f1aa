/**
 * An example resource API: it verifies Portcullis access tokens on its own, against the issuer's
 * /jwks, and never calls Portcullis per request. What it checks is what every API should check
 * (RFC 9068 §4): the signature (a key from the issuer's JWKS, asymmetric algorithms only), `typ:
 * at+jwt`, `iss`, `aud` (this API's resource identifier), `exp`/`nbf`, and the scope the route needs.
 * Failures answer 401 (no or bad token) or 403 (valid token, missing scope) with a `WWW-Authenticate`
 * header as RFC 6750 §3 describes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';

export interface ResourceApiOptions {
  /** Portcullis's issuer, e.g. https://id.example.com */
  readonly issuer: string;
  /** This API's resource identifier, as registered in Portcullis (the tokens' `aud`). */
  readonly audience: string;
  /** The scope a request needs, e.g. api:read. */
  readonly requiredScope: string;
  /** Defaults to `${issuer}/jwks`. */
  readonly jwksUri?: string;
  /**
   * How long fetched keys are trusted before the set is fetched again (ms). Keep it at most Portcullis's
   * KEYS_PREPUBLISH_SECONDS (the /jwks max-age): then a new key is always known before it signs.
   */
  readonly cacheMaxAgeMs?: number;
  /** Least time between two refetches triggered by an unknown `kid` (ms). */
  readonly cooldownMs?: number;
}

function challenge(res: ServerResponse, status: 401 | 403, params: Record<string, string>): void {
  const header = `Bearer ${Object.entries(params).map(([k, v]) => `${k}="${v.replace(/["\\\\]/g, '')}"`).join(', ')}`;
  res.writeHead(status, { 'www-authenticate': header, 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ error: params.error ?? 'invalid_request', error_description: params.error_description ?? '' }));
}

function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

export function createResourceApi(options: ResourceApiOptions): Server {
  const jwks = createRemoteJWKSet(new URL(options.jwksUri ?? `${options.issuer}/jwks`), {
    cacheMaxAge: options.cacheMaxAgeMs ?? 10 * 60 * 1000,
    cooldownDuration: options.cooldownMs ?? 30 * 1000,
  });
  const realm = { realm: options.audience };

  return createServer(async (req, res) => {
    const token = bearerToken(req);
    if (!token) return challenge(res, 401, { ...realm, ...(req.headers.authorization ? { error: 'invalid_request', error_description: 'malformed Authorization header' } : {}) });
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: options.issuer,
        audience: options.audience,
        typ: 'at+jwt',
        algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
      }));
    } catch (err) {
      const description = err instanceof errors.JWTExpired ? 'the access token expired' : 'the access token is invalid';
      return challenge(res, 401, { ...realm, error: 'invalid_token', error_description: description });
    }
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
    if (!scopes.includes(options.requiredScope)) {
      return challenge(res, 403, { ...realm, error: 'insufficient_scope', scope: options.requiredScope, error_description: `needs ${options.requiredScope}` });
    }
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ hello: payload.sub, client_id: payload.client_id, scope: payload.scope }));
  });
}
