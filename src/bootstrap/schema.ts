/** The bootstrap file's shape (DESIGN.md). Client entries are standard OAuth metadata, checked again by oidc-provider. */
import { z } from 'zod';
import { checkNewPassword } from '../accounts/index.ts';
import { MIN_CLIENT_SECRET_LENGTH } from '../security/index.ts';

const scopeToken = z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'must be a scope token (RFC 6749 §3.3)');

export const bootstrapClient = z.looseObject({
  client_id: z.string().min(1).max(200),
  // Secrets people choose must still be hard to guess: at least 32 characters.
  client_secret: z.string().min(MIN_CLIENT_SECRET_LENGTH, `must be at least ${MIN_CLIENT_SECRET_LENGTH} characters`).max(512).optional(),
  redirect_uris: z.array(z.string().min(1)).default([]),
  scope: z.string().optional(),
});

/** A plain password must meet the policy, checked before anything is hashed; it comes out NFC-normalized. */
const newPassword = z.string().transform((password, ctx) => {
  const check = checkNewPassword(password);
  if (check.ok) return check.password;
  ctx.addIssue({ code: 'custom', message: check.message });
  return z.NEVER;
});

export const bootstrapUser = z
  .object({
    email: z.string().trim().toLowerCase().pipe(z.email()),
    password: newPassword.optional(),
    // A ready hash is taken as is: the policy cannot be checked without the password.
    passwordHash: z.string().startsWith('$argon2id$', 'must be an argon2id PHC string').optional(),
    name: z.string().min(1).max(200).optional(),
    email_verified: z.boolean().default(true),
  })
  .strict()
  .refine((u) => (u.password === undefined) !== (u.passwordHash === undefined), {
    message: 'give exactly one of password or passwordHash',
  });

export const bootstrapResourceServer = z
  .object({
    identifier: z.url(),
    name: z.string().min(1).max(200).optional(),
    scopes: z.array(scopeToken).min(1),
    accessTokenTTL: z.number().int().min(5).max(86_400).optional(),
  })
  .strict();

export const bootstrapFile = z
  .object({
    clients: z.array(bootstrapClient).default([]),
    users: z.array(bootstrapUser).default([]),
    resourceServers: z.array(bootstrapResourceServer).default([]),
  })
  .strict();

export type BootstrapFile = z.infer<typeof bootstrapFile>;
export type BootstrapInput = z.input<typeof bootstrapFile>;
