/**
 * Runs one command line: find the command, parse its flags, then load the configuration, run, print,
 * and close the store whatever happened. Returns the exit code; failures are one line on stderr.
 */
import { loadConfig } from '../config/index.ts';
import { createLogger } from '../logging/index.ts';
import type { CommandContext } from './command.ts';
import { findCommand, helpText } from './commands.ts';
import { describeFailure } from './errors.ts';
import { render, type Streams } from './output.ts';
import { storeHandle, type StoreHandle } from './store.ts';

export interface CliIo extends Streams {
  readonly env: Readonly<Record<string, string | undefined>>;
  readStdin(): Promise<string>;
  readonly stdinIsTerminal: boolean;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let handle: StoreHandle | undefined;
  try {
    if (argv[0] === 'help' || argv[0] === '--help') {
      render({ json: null, text: helpText() }, false, io);
      return 0;
    }
    const { command, rest } = findCommand(argv);
    const invocation = command.parse(rest);
    const config = loadConfig({ env: io.env });
    // stdout carries the command's output (JSON with --json); log lines go to stderr.
    const logger = createLogger(config.logLevel, io.stderr);
    const store = storeHandle(config, logger);
    handle = store;
    const ctx: CommandContext = { config, logger, store: () => store.open(), readStdin: () => io.readStdin(), stdinIsTerminal: io.stdinIsTerminal };
    render(await invocation.run(ctx), invocation.json, io);
    return 0;
  } catch (err) {
    const { line, code } = describeFailure(err);
    io.stderr.write(`portcullis: ${line}\n`);
    return code;
  } finally {
    await handle?.close().catch(() => {});
  }
}
