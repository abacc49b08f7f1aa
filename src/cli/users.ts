/**
 * `users add|list|disable|enable`: the people who sign in. A password only ever arrives on stdin (never
 * as a flag, which would land in shell history and `ps`), must meet the password policy, is hashed with
 * argon2id, and is never printed; neither is the stored hash. Each change is a security event.
 */
import { z } from 'zod';
import { checkNewPassword, createArgon2Hasher, emailDigest } from '../accounts/index.ts';
import type { Account } from '../store/index.ts';
import { defineCommand, type Command } from './command.ts';
import { CommandError, UsageError } from './errors.ts';
import { recordEvent } from './events.ts';
import { table } from './output.ts';
import { displayName, email } from './values.ts';

/** What the CLI shows of an account: everything but the password hash. */
function userView(account: Account) {
  return {
    sub: account.id,
    email: account.email,
    name: account.name ?? null,
    email_verified: account.emailVerified,
    disabled: account.disabled,
    created_at: account.createdAt.toISOString(),
  };
}

/**
 * The password as piped in — one trailing newline (what `echo` adds) is not part of it — checked against
 * the policy before anything is hashed, and returned NFC-normalized. A refusal is bad input: exit 2.
 */
function passwordFromStdin(text: string, usage: string): string {
  const password = text.replace(/\r?\n$/, '');
  if (password.length === 0) throw new UsageError('no password on stdin', usage);
  const check = checkNewPassword(password);
  // The sentence loses its full stop: the usage follows it on the same line.
  if (!check.ok) throw new UsageError(check.message.replace(/\.$/, ''), usage);
  return check.password;
}

const add = defineCommand({
  name: 'users add',
  flags: '--email E [--name N] --password-stdin',
  summary: 'create a user; the password is read from stdin',
  options: { email: { type: 'string' }, name: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
  schema: z.object({
    email,
    name: displayName.optional(),
    'password-stdin': z.literal(true, { error: 'is required: the password is read from stdin' }),
  }),
  async run(values, ctx, usage) {
    if (ctx.stdinIsTerminal) throw new UsageError('--password-stdin reads the password from a pipe, not a terminal (it would show as typed)', usage);
    const store = await ctx.store();
    // Refused rather than upserted: `add` never replaces a password. Two racing adds still leave one account (unique email index).
    if (await store.accounts.findByEmail(values.email)) throw new CommandError(`user ${values.email} exists`);
    const password = passwordFromStdin(await ctx.readStdin(), usage);
    const passwordHash = await createArgon2Hasher(ctx.config.argon2).hash(password);
    const account = await store.accounts.upsertByEmail({ email: values.email, name: values.name, emailVerified: true, passwordHash });
    await recordEvent(ctx, 'user.added', { account_id: account.id, email_sha256: emailDigest(account.email) });
    return { json: userView(account), text: [`created user ${account.email} (sub ${account.id})`] };
  },
});

const list = defineCommand({
  name: 'users list',
  summary: 'list users (never their password hashes)',
  async run(_values, ctx) {
    const users = (await (await ctx.store()).accounts.list()).map(userView);
    const rows = users.map((u) => [u.email, u.sub, u.disabled ? 'disabled' : 'enabled', u.name ?? '']);
    return { json: users, text: table(rows, 'no users') };
  },
});

function setDisabled(disabled: boolean): Command {
  const verb = disabled ? 'disable' : 'enable';
  return defineCommand({
    name: `users ${verb}`,
    flags: '--email E',
    summary: disabled ? 'stop a user from signing in' : 'let a disabled user sign in again',
    options: { email: { type: 'string' } },
    schema: z.object({ email }),
    async run(values, ctx) {
      const store = await ctx.store();
      const found = await store.accounts.setDisabled(values.email, disabled);
      if (!found) throw new CommandError(`no user ${values.email}`);
      const account = await store.accounts.findByEmail(values.email);
      await recordEvent(ctx, disabled ? 'user.disabled' : 'user.enabled', { account_id: account?.id, email_sha256: emailDigest(values.email) });
      return { json: { email: values.email, disabled }, text: [`${verb}d user ${values.email}`] };
    },
  });
}

export const userCommands: readonly Command[] = [add, list, setDisabled(true), setDisabled(false)];
