/**
 * Start-up: parse the configuration, build the app, seed, listen. On SIGTERM/SIGINT: stop accepting
 * connections, let the requests in flight finish, then close the store and the key ring and exit 0;
 * a second signal, or SHUTDOWN_TIMEOUT_MS passing first, exits 1 at once.
 */
import { createServer, type ServerResponse } from 'node:http';
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

  const handle = app.koa.callback();
  /** Responses not yet finished: what a shutdown waits for. */
  const inFlight = new Set<ServerResponse>();
  let stopping = false;
  const server = createServer((req, res) => {
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      // A keep-alive connection whose last request just ended would hold server.close() open.
      if (stopping) setImmediate(() => server.closeIdleConnections());
    });
    // Draining: a request that arrives on an open keep-alive connection is served, then the connection closes.
    if (stopping) res.shouldKeepAlive = false;
    void handle(req, res);
  });
  server.listen(config.port, config.host, () => {
    logger.info({ issuer: config.issuer, host: config.host, port: config.port, mode: config.mode, store: app.deps.store.kind }, 'Portcullis is listening');
  });
  // METRICS_PORT: /metrics on a listener of its own (loopback unless METRICS_HOST says otherwise).
  const metricsServer = app.metricsKoa ? createServer(app.metricsKoa.callback()) : undefined;
  metricsServer?.listen(config.metrics.port, config.metrics.host, () => {
    const address = metricsServer.address();
    logger.info({ host: config.metrics.host, port: typeof address === 'object' ? address?.port : config.metrics.port }, 'metrics are served at /metrics');
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal, inFlight: inFlight.size }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal, inFlight: inFlight.size, timeoutMs: config.shutdownTimeoutMs }, 'shutting down: refusing new connections, finishing requests in flight');
    setTimeout(() => {
      logger.error({ inFlight: inFlight.size, timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out (SHUTDOWN_TIMEOUT_MS); exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    // The store closes only after the last request is done: one still running may be writing a token.
    const drained = new Promise<void>((resolve) => server.close(() => resolve()));
    // A scrape is no work in flight: the metrics listener just stops.
    metricsServer?.close();
    metricsServer?.closeAllConnections();
    for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
    server.closeIdleConnections();
    drained
      .then(() => app.close())
      .then(
        () => {
          logger.info({ signal }, 'stopped');
          process.exit(0);
        },
        (err: unknown) => {
          logger.error({ err }, 'closing the store failed');
          process.exit(1);
        },
      );
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
