/** The admin command line: `npm run cli -- <command>`. Bad arguments get one line and exit code 2. */
import { ConfigError, loadConfig } from '../config/index.ts';
import { generateKeyFiles, KeyFileError, loadKeyFiles, publicPart } from '../signing/index.ts';

const USAGE = 'usage: npm run cli -- keys generate|list [--json]';

class UsageError extends Error {}

async function keys(sub: string | undefined, json: boolean, keysDir: string): Promise<void> {
  switch (sub) {
    case 'generate': {
      const made = await generateKeyFiles(keysDir);
      if (json) process.stdout.write(`${JSON.stringify(made.map(publicPart))}\n`);
      else for (const k of made) process.stdout.write(`generated ${k.alg} key ${k.kid} in ${keysDir}\n`);
      return;
    }
    case 'list': {
      const { keys: loaded } = await loadKeyFiles(keysDir);
      if (json) process.stdout.write(`${JSON.stringify(loaded.map(publicPart))}\n`);
      else if (loaded.length === 0) process.stdout.write(`no signing keys in ${keysDir}\n`);
      else for (const k of loaded) process.stdout.write(`${k.alg}\t${k.kid}\n`);
      return;
    }
    default:
      throw new UsageError(`unknown keys command ${sub ?? '(none)'}; ${USAGE}`);
  }
}

async function run(argv: readonly string[]): Promise<void> {
  const json = argv.includes('--json');
  const [group, sub] = argv.filter((a) => a !== '--json');
  const config = loadConfig({ env: process.env });
  switch (group) {
    case 'keys':
      return keys(sub, json, config.keysDir);
    default:
      throw new UsageError(group ? `unknown command ${group}; ${USAGE}` : USAGE);
  }
}

run(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError) {
    process.stderr.write(`portcullis: ${err.message}\n`);
    process.exit(2);
  }
  const known = err instanceof ConfigError || err instanceof KeyFileError;
  process.stderr.write(`portcullis: ${known ? (err as Error).message : String(err instanceof Error ? err.stack : err)}\n`);
  process.exit(1);
});
