/** The message catalog's `t()`: parameters, plurals, escaping, and loud failures instead of raw keys. */
import { formatDate, messages, t, tHtml } from '../../src/i18n/index.ts';

test('fills parameters', () => {
  expect(t('login.lead', { client: 'Example App' })).toBe('to continue to Example App');
  expect(t('login.title')).toBe('Sign in');
});

test('picks the plural form from count', () => {
  expect(t('account.sessions.count', { count: 1 })).toBe('1 active session');
  expect(t('account.sessions.count', { count: 0 })).toBe('0 active sessions');
  expect(t('account.sessions.count', { count: 3 })).toBe('3 active sessions');
});

test('an unknown key or a missing parameter throws instead of showing a raw key', () => {
  const loose = t as unknown as (key: string, params?: Record<string, unknown>) => string;
  expect(() => loose('login.nope')).toThrow(/no message "login.nope"/);
  expect(() => loose('toString')).toThrow(/no message/);
  expect(() => loose('login.lead')).toThrow(/needs the parameter client/);
  expect(() => loose('account.sessions.count', {})).toThrow(/numeric count/);
});

test('tHtml escapes the text and the parameters and emphasises the parameters', () => {
  expect(tHtml('login.lead', { client: '<b>"Evil" & co</b>' })).toBe('to continue to <strong>&#60;b&#62;&#34;Evil&#34; &#38; co&#60;/b&#62;</strong>');
  expect(tHtml('error.code', { code: 'x' }, 'code')).toBe('Error code: <code>x</code>');
});

test('plain modules can import the catalog', () => {
  expect(messages['consent.allow']).toBe('Allow');
  expect(Object.isFrozen(messages)).toBe(true);
});

test('dates are English, UTC and deterministic; a non-date is shown as given', () => {
  expect(formatDate('2025-12-31T23:59:59.000Z')).toBe('Dec 31, 2025, 23:59 UTC');
  expect(formatDate('2025-01-01T00:00:00+02:00')).toBe('Dec 31, 2024, 22:00 UTC');
  expect(formatDate('not a date')).toBe('not a date');
});
