/**
 * The throttle's rules on the memory store with a fake clock: the backoff formula, what a success ends
 * (the account's backoff) and what it never erases (the hourly ceilings), refused attempts not counting,
 * and what an attempt is counted by.
 */
import {
  accountKey,
  addressKey,
  backoffSeconds,
  createLoginThrottle,
  emailDigest,
  type Admission,
  type ThrottlePolicy,
} from '../../src/accounts/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';

const DEFAULTS: ThrottlePolicy = { freeFailures: 5, backoffBaseSeconds: 1, backoffMaxSeconds: 900, maxFailuresPerAccount: 100, maxFailuresPerAddress: 1000 };
const IP = '198.51.100.7';

test('backoff: free failures, then base · 2^n seconds, capped', () => {
  expect([0, 4, 5, 6, 7, 10, 14, 15, 99].map((n) => backoffSeconds(n, DEFAULTS))).toEqual([0, 0, 1, 2, 4, 32, 512, 900, 900]);
  expect(backoffSeconds(0, { ...DEFAULTS, freeFailures: 0, backoffBaseSeconds: 3 })).toBe(3);
});

test('an account is its normalized email digest; an address is IPv4 or an IPv6 /64', () => {
  expect(emailDigest(' Ada@Example.COM ')).toBe(emailDigest('ada@example.com'));
  expect(emailDigest('ada@example.com')).toMatch(/^[0-9a-f]{64}$/);
  expect(accountKey('ADA@example.com')).toBe(`account:${emailDigest('ada@example.com')}`);
  expect(addressKey('203.0.113.7')).toBe('ip:203.0.113.7');
  expect(addressKey('::ffff:203.0.113.7')).toBe('ip:203.0.113.7');
  expect(addressKey('2001:db8:1:2:3:4:5:6')).toBe('ip:2001:db8:1:2::/64');
  expect(addressKey('2001:0db8:0001:0002::9%eth0')).toBe('ip:2001:db8:1:2::/64');
  expect(addressKey('2001:db8::1')).toBe('ip:2001:db8:0:0::/64');
  expect(addressKey('::1')).toBe('ip:0:0:0:0::/64');
  expect(addressKey('')).toBe('ip:unknown');
});

function harness(policy: Partial<ThrottlePolicy>) {
  let now = Date.UTC(2026, 0, 1);
  const throttle = createLoginThrottle({ attempts: createMemoryStore().loginAttempts, clock: () => now, policy: { ...DEFAULTS, ...policy } });
  const settle = async (a: Admission, ok: boolean) => {
    if (a.outcome === 'admitted') await (ok ? a.succeeded() : a.failed());
    return a.outcome === 'admitted' ? 'admitted' : `${a.reason} ${a.retryAfterSeconds}`;
  };
  return {
    advance: (seconds: number) => (now += seconds * 1000),
    fail: async (email: string, ip = IP) => settle(await throttle.admit(email, ip), false),
    succeed: async (email: string, ip = IP) => settle(await throttle.admit(email, ip), true),
  };
}

test('a success ends the account\'s backoff: its free failures are back', async () => {
  const t = harness({ freeFailures: 2, backoffBaseSeconds: 60 });
  expect([await t.fail('ada@example.com'), await t.fail('ada@example.com')]).toEqual(['admitted', 'admitted']);
  expect(await t.succeed('ada@example.com')).toBe('account_backoff 60');
  t.advance(60);
  expect(await t.succeed('ada@example.com')).toBe('admitted');
  expect([await t.fail('ada@example.com'), await t.fail('ada@example.com')]).toEqual(['admitted', 'admitted']);
  expect(await t.fail('ada@example.com')).toBe('account_backoff 60');
});

test('a success never erases failures from the account\'s hourly ceiling', async () => {
  const t = harness({ freeFailures: 100, maxFailuresPerAccount: 3 });
  await t.fail('ada@example.com');
  await t.fail('ada@example.com');
  t.advance(10);
  expect(await t.succeed('ada@example.com')).toBe('admitted');
  await t.fail('ada@example.com');
  t.advance(10);
  // Three failures in the hour, a success among them: the owner's sign-in gave the guesser nothing back.
  expect(await t.succeed('ada@example.com')).toBe('account_ceiling 3580');
  t.advance(3580);
  expect(await t.succeed('ada@example.com')).toBe('admitted');
});

test('a success never resets the address ceiling that shields other accounts', async () => {
  const t = harness({ maxFailuresPerAddress: 2 });
  await t.fail('victim1@example.com');
  expect(await t.succeed('attacker@example.com')).toBe('admitted');
  await t.fail('victim2@example.com');
  expect(await t.fail('victim3@example.com')).toBe('address_ceiling 3600');
  expect(await t.fail('victim3@example.com', '198.51.100.8')).toBe('admitted');
});

test('refused attempts are no failures: knocking during the wait does not extend it', async () => {
  const t = harness({ freeFailures: 1, backoffBaseSeconds: 10 });
  await t.fail('ada@example.com');
  for (let i = 0; i < 5; i += 1) {
    t.advance(1.5);
    expect(await t.fail('ada@example.com')).toMatch(/^account_backoff [1-9]$/);
  }
  t.advance(2.5);
  expect(await t.fail('ada@example.com')).toBe('admitted');
});

test('Retry-After rounds up to whole seconds and is never 0', async () => {
  const t = harness({ freeFailures: 1, backoffBaseSeconds: 2 });
  await t.fail('ada@example.com');
  t.advance(1.999);
  expect(await t.fail('ada@example.com')).toBe('account_backoff 1');
  t.advance(0.5);
  expect(await t.fail('ada@example.com')).toBe('admitted');
});
