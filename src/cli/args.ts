/**
 * Flag parsing: node:util `parseArgs` in strict mode finds the flags, a zod schema checks their values.
 * Either failure is a UsageError naming the flag, so the user gets one line, never a stack trace.
 */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import type { z } from 'zod';
import { UsageError } from './errors.ts';

export interface ParsedFlags<T> {
  readonly json: boolean;
  readonly values: T;
}

const JSON_FLAG = { json: { type: 'boolean' } } as const satisfies ParseArgsOptionsConfig;

function parseArgsReason(err: unknown): string | undefined {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) return undefined;
  // Node's messages go on with advice about `--`; the first sentence is the reason.
  const first = (err as Error).message.split(/\.\s/)[0] ?? code;
  return first.charAt(0).toLowerCase() + first.slice(1);
}

function describeIssue(issue: z.core.$ZodIssue, raw: Record<string, unknown>): string {
  const key = issue.path[0];
  if (typeof key !== 'string') return issue.message;
  if (issue.code === 'invalid_type' && raw[key] === undefined) return `missing --${key}`;
  return `--${key} ${issue.message}`;
}

/** Parses `args` (the words after the command) against `options` plus `--json`, then `schema`. */
export function parseFlags<S extends z.ZodType>(
  args: readonly string[],
  options: ParseArgsOptionsConfig,
  schema: S,
  usage: string,
): ParsedFlags<z.output<S>> {
  let raw: Record<string, unknown>;
  try {
    raw = parseArgs({ args: [...args], options: { ...options, ...JSON_FLAG }, strict: true, allowPositionals: false }).values;
  } catch (err) {
    const reason = parseArgsReason(err);
    if (reason === undefined) throw err;
    throw new UsageError(reason, usage);
  }
  const { json, ...values } = raw;
  const result = schema.safeParse(values);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new UsageError(issue ? describeIssue(issue, values) : 'invalid arguments', usage);
  }
  return { json: json === true, values: result.data };
}
