/**
 * What login throttling counts by. An account is its normalized email's SHA-256 digest — whether or not
 * such an account exists, and never the raw email, which stays out of the store and the logs. A client
 * address is an IPv4 address, or an IPv6 /64: one subscriber usually holds a whole /64, so counting
 * single IPv6 addresses would hand an attacker 2^64 fresh counters.
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { normalizeEmail } from './email.ts';

/** Hex SHA-256 of the normalized email: the same for `Ada@Example.com ` and `ada@example.com`. */
export function emailDigest(email: string): string {
  return createHash('sha256').update(normalizeEmail(email), 'utf8').digest('hex');
}

export function accountKey(email: string): string {
  return `account:${emailDigest(email)}`;
}

/** The first four groups of an IPv6 address, expanded from its `::` shorthand. */
function ipv6Prefix64(ip: string): string {
  const [head = '', tail] = ip.split('::');
  const groups = head ? head.split(':') : [];
  if (tail !== undefined) {
    const rest = tail ? tail.split(':') : [];
    groups.push(...Array<string>(8 - groups.length - rest.length).fill('0'), ...rest);
  }
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

export function addressKey(ip: string): string {
  const bare = ip.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare)?.[1];
  if (mapped) return `ip:${mapped}`;
  switch (isIP(bare)) {
    case 4:
      return `ip:${bare}`;
    case 6:
      return `ip:${ipv6Prefix64(bare)}`;
    default:
      // Koa gives an empty string when the socket is already gone; such attempts still share a counter.
      return `ip:${bare || 'unknown'}`;
  }
}
