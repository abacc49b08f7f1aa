/**
 * What a command is: a name ("users add"), its flags, a zod schema for their values, and a `run` that
 * returns what to print. Parsing happens before anything is loaded or connected, so a bad argument is
 * reported first and costs nothing.
 */
import type { ParseArgsOptionsConfig } from 'node:util';
import { z } from 'zod';
import type { Config } from '../config/index.ts';
import type { Logger } from '../logging/index.ts';
import type { MongoStore } from '../store/mongo/index.ts';
import { parseFlags } from './args.ts';

/** What a command prints: `json` with --json, else the `text` lines; warnings go to stderr either way. */
export interface CommandResult {
  readonly json: unknown;
  readonly text: readonly string[];
  readonly warnings?: readonly string[];
}

export interface CommandContext {
  readonly config: Config;
  /** Writes to stderr: stdout belongs to the command's output. */
  readonly logger: Logger;
  /** The configured MongoDB store, connected on first use; refused without MONGODB_URI. */
  store(): Promise<MongoStore>;
  /** All of standard input, as text. */
  readStdin(): Promise<string>;
  /** Standard input is a terminal, where a typed password would show. */
  readonly stdinIsTerminal: boolean;
}

/** A parsed command line, ready to run. */
export interface Invocation {
  readonly json: boolean;
  run(ctx: CommandContext): Promise<CommandResult>;
}

export interface Command {
  /** The command words, e.g. `users add`. */
  readonly name: string;
  /** The flags, as the usage line shows them (every command also takes `--json`). */
  readonly flags: string;
  readonly summary: string;
  parse(args: readonly string[]): Invocation;
}

const NO_FLAGS = z.object({});

/** A command; one without `options` and `schema` takes no flags but `--json`. */
export interface CommandDefinition<S extends z.ZodType> {
  readonly name: string;
  readonly flags?: string;
  readonly summary: string;
  readonly options?: ParseArgsOptionsConfig;
  readonly schema?: S;
  run(values: z.output<S>, ctx: CommandContext, usage: string): Promise<CommandResult>;
}

export const CLI = 'npm run cli --';

/** The usage line of one command, as errors and `help` print it. */
export function usageOf(command: Pick<Command, 'name' | 'flags'>): string {
  return [CLI, command.name, command.flags, '[--json]'].filter(Boolean).join(' ');
}

/** Turns a definition into a Command whose flags are parsed (args.ts) before it runs. */
export function defineCommand<S extends z.ZodType = typeof NO_FLAGS>(definition: CommandDefinition<S>): Command {
  const flags = definition.flags ?? '';
  const usage = usageOf({ name: definition.name, flags });
  const schema = (definition.schema ?? NO_FLAGS) as S;
  return {
    name: definition.name,
    flags,
    summary: definition.summary,
    parse(args) {
      const { json, values } = parseFlags(args, definition.options ?? {}, schema, usage);
      return { json, run: (ctx) => definition.run(values, ctx, usage) };
    },
  };
}
