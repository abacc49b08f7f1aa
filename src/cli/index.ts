// cli/: the admin command line (`npm run cli -- <command>`): users, clients, resource servers, db indexes, keys.
/**
 * The process entry: hands argv, the environment and the standard streams to the dispatcher and exits
 * with its code. Bad arguments exit 2, refused operations 1 (errors.ts).
 */
import { text } from 'node:stream/consumers';
import { runCli } from './dispatch.ts';

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  readStdin: () => text(process.stdin),
  stdinIsTerminal: process.stdin.isTTY === true,
});
