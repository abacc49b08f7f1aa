/**
 * The rules a new password must meet, wherever one is set (bootstrap file, CLI, account page):
 * OWASP ASVS 5.0 V6.2. Length is counted in Unicode code points of the NFC form; any character is
 * allowed; there are no composition rules ("must contain a digit", V6.2.5), which push people towards
 * predictable patterns; and the most common passwords are refused (V6.2.4).
 *
 * NFC is canonical equivalence — "é" typed as one code point or as "e" plus a combining accent is the
 * same text — so normalizing is not the "modification" V6.2.8 forbids (truncation, case folding); NIST
 * SP 800-63B §5.1.1.2 asks for normalization too (it names NFKC, which would also merge look-alikes such
 * as full-width letters; NFC keeps them distinct). Case is folded only to look a password up in the list.
 *
 * The list is the frequency-ranked `passwords` dictionary of `@zxcvbn-ts/language-common` (MIT,
 * © Dan Wheeler, Dropbox, Inc. and zxcvbn-ts; the licence ships in the package): 49,233 entries, of
 * which about 18,000 have 8 or more characters — V6.2.4 asks for the top 3,000 that fit the policy.
 *
 * @see https://github.com/OWASP/ASVS/blob/master/5.0/en/0x15-V6-Authentication.md
 * @see https://pages.nist.gov/800-63-3/sp800-63b.html#memsecretver
 */
import { createRequire } from 'node:module';
import { t } from '../i18n/index.ts';

/** ASVS V6.2.1: at least 8 characters. */
export const MIN_PASSWORD_LENGTH = 8;
/** ASVS V6.2.1 recommends 15 or more; said in the too-short message and the docs, never enforced. */
export const RECOMMENDED_PASSWORD_LENGTH = 15;
/** ASVS V6.2.9 asks that at least 64 be allowed; a bound keeps normalizing and hashing cheap. */
export const MAX_PASSWORD_LENGTH = 256;

/**
 * No NFC form of at most 256 code points comes from more than 8 × 256 UTF-16 code units: a code point
 * of the NFC form stands for at most 4 of the canonical decomposition (the longest, e.g. U+1F82, pinned
 * by a test), the input has no more code points than that decomposition, and a code point is at most 2
 * units. So anything longer is refused from its `length` alone, before the string is normalized.
 */
const MAX_INPUT_UNITS = MAX_PASSWORD_LENGTH * 8;

export type PasswordProblem = 'too_short' | 'too_long' | 'too_common';

type Refusal = { ok: false; problem: PasswordProblem; message: string };

const MESSAGES: Readonly<Record<PasswordProblem, () => string>> = {
  too_short: () => t('password.tooShort', { min: MIN_PASSWORD_LENGTH, recommended: RECOMMENDED_PASSWORD_LENGTH }),
  too_long: () => t('password.tooLong', { max: MAX_PASSWORD_LENGTH }),
  too_common: () => t('password.tooCommon'),
};

const refuse = (problem: PasswordProblem): Refusal => ({ ok: false, problem, message: MESSAGES[problem]() });

/** How the list and a candidate are compared: NFC, then case-insensitively ("Password1" is "password1"). */
const fold = (password: string) => password.normalize('NFC').toLowerCase();

let common: ReadonlySet<string> | undefined;

/** Loaded on first use, once: a process that never sets a password (the login path) never pays for it. */
function commonPasswords(): ReadonlySet<string> {
  if (common === undefined) {
    const { dictionary } = createRequire(import.meta.url)('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
    common = new Set(dictionary['passwords-common'].map(fold));
  }
  return common;
}

/**
 * Checks a password someone is choosing. On success it returns the NFC form, which is what gets hashed
 * (the hasher normalizes too, so a password typed decomposed later still matches). On refusal the
 * message is one plain sentence fit to show the person.
 */
export function checkNewPassword(password: string): { ok: true; password: string } | Refusal {
  if (password.length > MAX_INPUT_UNITS) return refuse('too_long');
  const nfc = password.normalize('NFC');
  const length = [...nfc].length;
  if (length < MIN_PASSWORD_LENGTH) return refuse('too_short');
  if (length > MAX_PASSWORD_LENGTH) return refuse('too_long');
  if (commonPasswords().has(fold(nfc))) return refuse('too_common');
  return { ok: true, password: nfc };
}
