/**
 * zod schemas for flag values that several commands share. Messages are predicates that read after the
 * flag's name ("--email must be an email address"); args.ts puts the two together.
 */
import { z } from 'zod';
import { normalizeEmail } from '../accounts/index.ts';

export const email = z
  .string()
  .transform(normalizeEmail)
  .pipe(z.email({ error: 'must be an email address' }));

export const displayName = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

/** Client ids: visible ASCII, so they survive URLs, logs and Basic authentication unchanged. */
export const clientId = z.string().regex(/^[\x21-\x7E]{1,200}$/, 'must be 1 to 200 visible ASCII characters');

/** An absolute URI without a fragment (redirect URIs, resource indicators: RFC 6749 §3.1.2, RFC 8707 §2). */
export const absoluteUri = z
  .url({ error: 'must be an absolute URL' })
  .refine((u) => !u.includes('#'), 'must not have a fragment');

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** Scopes as repeated flags, space-separated values, or both: split, de-duplicated, in order. */
export const scopeList = z
  .array(z.string())
  .transform((values) => [...new Set(values.flatMap((v) => v.split(/\s+/)).filter(Boolean))])
  .pipe(z.array(z.string().regex(SCOPE_TOKEN, 'must be scope tokens (RFC 6749 §3.3)')));
