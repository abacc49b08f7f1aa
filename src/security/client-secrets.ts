/**
 * Client secrets at rest: only a SHA-256 digest is stored, compared in constant time. A SHA-256 digest
 * (not argon2) is enough because every secret we accept has at least 256 bits of entropy when we
 * generate it, and people must choose at least 32 characters. Because the plain secret is gone,
 * `client_secret_jwt` and HS* signing (which need it as a key) are disabled in oidc/configuration.ts.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ClientMetadata } from '../store/index.ts';

export const MIN_CLIENT_SECRET_LENGTH = 32;

export function digestClientSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

/** 32 random bytes: 256 bits, base64url. Shown once, never stored. */
export function generateClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison of a presented secret against a stored digest. */
export function clientSecretMatches(presented: string, digest: string): boolean {
  const a = Buffer.from(digestClientSecret(presented));
  const b = Buffer.from(digest);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Metadata as people write it (with `client_secret`) → metadata as stores keep it (digest only). */
export function withSecretDigest(metadata: ClientMetadata & { client_secret?: unknown }): ClientMetadata {
  const { client_secret: secret, ...rest } = metadata;
  if (typeof secret !== 'string') return rest as ClientMetadata;
  return { ...rest, client_secret_digest: digestClientSecret(secret) } as ClientMetadata;
}
