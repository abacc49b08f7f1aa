/**
 * CSRF tokens for the forms we own, in addition to the SameSite cookies. A token is an HMAC of its
 * purpose and what it is bound to (an interaction uid, a session uid), keyed by a key derived from the
 * cookie secrets, so it needs no storage, differs per interaction and per session, and survives secret
 * rotation (any current cookie secret verifies). Comparison is constant-time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type CsrfPurpose = 'interaction' | 'account';

export interface Csrf {
  token(purpose: CsrfPurpose, binding: string): string;
  verify(purpose: CsrfPurpose, binding: string, presented: unknown): boolean;
}

export function createCsrf(secrets: readonly string[]): Csrf {
  if (secrets.length === 0) throw new Error('CSRF needs at least one secret');
  const keys = secrets.map((s) => createHmac('sha256', s).update('portcullis csrf v1').digest());
  const mac = (key: Buffer, purpose: CsrfPurpose, binding: string) =>
    createHmac('sha256', key).update(`${purpose}\0${binding}`).digest();
  return {
    token: (purpose, binding) => mac(keys[0] as Buffer, purpose, binding).toString('base64url'),
    verify(purpose, binding, presented) {
      if (typeof presented !== 'string' || presented.length > 100) return false;
      const given = Buffer.from(presented, 'base64url');
      return keys.some((key) => {
        const expected = mac(key, purpose, binding);
        return given.length === expected.length && timingSafeEqual(given, expected);
      });
    },
  };
}
