/**
 * The CLI's two expected failures and how every failure becomes one line on stderr and an exit code:
 * 2 for bad arguments (with the usage), 1 for a refused operation or an unreachable store. Only a bug
 * — an error nobody expected — prints a stack trace.
 */
import { MongoError } from 'mongodb';
import { ConfigError } from '../config/index.ts';
import { KeyFileError } from '../signing/index.ts';
import { StoreConnectError } from '../store/mongo/index.ts';

/** Bad arguments: exit 2, with the usage of the command (or of the whole CLI). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly usage: string;
  constructor(reason: string, usage: string) {
    super(reason);
    this.usage = usage;
  }
}

/** A well-formed command the store or the key folder refuses ("user exists", "no client x"): exit 1. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}

export interface Failure {
  readonly line: string;
  readonly code: 1 | 2;
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');

export function describeFailure(err: unknown): Failure {
  if (err instanceof UsageError) return { line: oneLine(`${err.message}; usage: ${err.usage}`), code: 2 };
  if (err instanceof CommandError || err instanceof ConfigError || err instanceof KeyFileError || err instanceof StoreConnectError) {
    return { line: oneLine(err.message), code: 1 };
  }
  // The server went away or refused mid-command: worth one line, not a stack.
  if (err instanceof MongoError) return { line: oneLine(`MongoDB: ${err.message}`), code: 1 };
  return { line: err instanceof Error ? (err.stack ?? err.message) : String(err), code: 1 };
}
