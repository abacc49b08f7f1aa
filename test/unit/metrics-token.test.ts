/**
 * The metrics token is compared in constant time: both sides become SHA-256 digests of one length and
 * meet in `crypto.timingSafeEqual` — whatever the presented token's length — and nothing else decides.
 * `node:crypto` is wrapped to watch that call, so this file imports the module under test afterwards.
 */
import { jest } from '@jest/globals';

const crypto = await import('node:crypto');
const timingSafeEqual = jest.fn(crypto.timingSafeEqual);
jest.unstable_mockModule('node:crypto', () => ({ ...crypto, default: { ...crypto, timingSafeEqual }, timingSafeEqual }));
const { bearerMatches } = await import('../../src/http/metrics-routes.ts');
const { digestClientSecret } = await import('../../src/security/index.ts');

const TOKEN = 'metrics-scrape-token-0123456789abcdefghijk';
const digest = digestClientSecret(TOKEN);

beforeEach(() => timingSafeEqual.mockClear());

test('the right token, with the scheme in any case, matches', () => {
  expect(bearerMatches(`Bearer ${TOKEN}`, digest)).toBe(true);
  expect(bearerMatches(`bearer ${TOKEN}`, digest)).toBe(true);
  expect(timingSafeEqual).toHaveBeenCalledTimes(2);
});

test.each([
  ['one character short', TOKEN.slice(0, -1)],
  ['one character long', `${TOKEN}x`],
  ['the last character wrong', `${TOKEN.slice(0, -1)}K`],
  ['a single character', 'x'],
  ['ten times as long', TOKEN.repeat(10)],
])('a wrong token (%s) is refused by timingSafeEqual over equal-length digests', (_case, presented) => {
  expect(bearerMatches(`Bearer ${presented}`, digest)).toBe(false);
  expect(timingSafeEqual).toHaveBeenCalledTimes(1);
  const [a, b] = timingSafeEqual.mock.calls[0] as unknown as [Buffer, Buffer];
  expect(a.length).toBe(b.length);
});

test('no Bearer token at all is refused before any comparison', () => {
  for (const header of ['', TOKEN, `Basic ${TOKEN}`, 'Bearer ', `Bearer ${TOKEN} extra`]) expect(bearerMatches(header, digest)).toBe(false);
  expect(timingSafeEqual).not.toHaveBeenCalled();
});
