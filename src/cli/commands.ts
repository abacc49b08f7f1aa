/** Every command, and finding one from the command words; unknown words are a UsageError. */
import { clientCommands } from './clients.ts';
import { CLI, usageOf, type Command } from './command.ts';
import { dbCommands } from './db.ts';
import { UsageError } from './errors.ts';
import { eventCommands } from './events.ts';
import { keyCommands } from './keys.ts';
import { resourceCommands } from './resources.ts';
import { userCommands } from './users.ts';

export const COMMANDS: readonly Command[] = [...userCommands, ...clientCommands, ...resourceCommands, ...eventCommands, ...dbCommands, ...keyCommands];

const groupOf = (command: Command) => command.name.split(' ')[0] ?? '';

const subcommands = (group: string) =>
  COMMANDS.filter((c) => groupOf(c) === group)
    .map((c) => c.name.split(' ')[1])
    .join('|');

const groupUsage = (group: string) => `${CLI} ${group} ${subcommands(group)} [flags] [--json]`;

/** One line naming every command, for errors that are not about one command. */
export function overallUsage(): string {
  const groups = [...new Set(COMMANDS.map(groupOf))];
  return `${CLI} <${groups.map((g) => `${g} ${subcommands(g)}`).join(', ')}> [flags] [--json] (${CLI} help lists them)`;
}

/** The help text: one line per command with its flags and what it does. */
export function helpText(): string[] {
  return ['Portcullis admin CLI. Store commands need MONGODB_URI; keys commands need none.', ...COMMANDS.map((c) => `  ${usageOf(c)}\n      ${c.summary}`)];
}

/** Splits `argv` into the command and its remaining words. */
export function findCommand(argv: readonly string[]): { command: Command; rest: readonly string[] } {
  const [group, sub] = argv;
  if (!group) throw new UsageError('no command', overallUsage());
  if (!COMMANDS.some((c) => groupOf(c) === group)) throw new UsageError(`unknown command ${group}`, overallUsage());
  const command = COMMANDS.find((c) => c.name === `${group} ${sub}`);
  if (!command) throw new UsageError(`unknown ${group} command ${sub ?? '(none)'}`, groupUsage(group));
  return { command, rest: argv.slice(2) };
}
