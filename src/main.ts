/** Start-up: parse the configuration, build the app, seed, listen; on SIGTERM/SIGINT close and exit 0. */
import { createServer } from 'node:http';
import { createApp, createDependencies } from './app.ts';
import { BootstrapError, demoBootstrap, demoInstructions, readBootstrapFile } from './bootstrap/index.ts';
import { ConfigError, devWarnings, loadConfig } from './config/index.ts';
import { createLogger } from './logging/index.ts';
import { KeyFileError } from './signing/index.ts';
import { StoreConnectError } from './store/mongo/index.ts';

async function main(): Promise<void> {
  const config = loadConfig({ env: process.env });
  const logger = createLogger(config.logLevel);
  for (const warning of devWarnings(config)) logger.warn(warning);

  const app = createApp(config, await createDependencies(config, logger));
  if (config.bootstrapFile) {
    const summary = await app.bootstrap(`BOOTSTRAP_FILE ${config.bootstrapFile}`, await readBootstrapFile(config.bootstrapFile));
    logger.info(summary, 'bootstrap file applied');
  }
  if (config.seedDemo) {
    await app.bootstrap('demo seed', demoBootstrap(config.issuer));
    process.stdout.write(`\n${demoInstructions(config.issuer)}\n\n`);
  }

  const server = createServer(app.koa.callback());
  server.listen(config.port, config.host, () => {
    logger.info({ issuer: config.issuer, host: config.host, port: config.port, mode: config.mode, store: app.deps.store.kind }, 'Portcullis is listening');
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close(() => {
      void app.close().then(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  // Known start-up failures are one line that says what to do; anything else is a bug worth a stack.
  if (err instanceof ConfigError || err instanceof BootstrapError || err instanceof KeyFileError || err instanceof StoreConnectError) {
    process.stderr.write(`portcullis: ${err.message}\n`);
  } else {
    process.stderr.write(`portcullis: start-up failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
});
