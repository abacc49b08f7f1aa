/**
 * The CLI's connection to the configured MongoDB store: opened by the first command that asks, closed
 * by the dispatcher when the command ends so the process can exit. Without MONGODB_URI there is nothing
 * to administer: a memory store would vanish with this process, so store commands are refused.
 */
import type { Config } from '../config/index.ts';
import type { Logger } from '../logging/index.ts';
import { connectWithRetry, createMongoStore, describeHosts, type MongoStore } from '../store/mongo/index.ts';
import { CommandError } from './errors.ts';

export interface StoreHandle {
  open(): Promise<MongoStore>;
  /** Closes the store if it was opened. */
  close(): Promise<void>;
}

export function storeHandle(config: Config, logger: Logger): StoreHandle {
  let opening: Promise<MongoStore> | undefined;
  const connect = async (uri: string): Promise<MongoStore> => {
    const client = await connectWithRetry({
      uri,
      ...config.mongodb,
      onRetry: (attempt, delayMs) => logger.warn({ attempt, delayMs, hosts: describeHosts(uri) }, 'MongoDB unreachable, retrying'),
    });
    return createMongoStore(client);
  };
  return {
    open() {
      const uri = config.mongodbUri;
      if (!uri) {
        return Promise.reject(new CommandError('MONGODB_URI is not set: this command works on the MongoDB store (set MONGODB_URI to the server\'s database)'));
      }
      opening ??= connect(uri);
      return opening;
    },
    async close() {
      const store = await opening?.catch(() => undefined);
      await store?.close();
    },
  };
}
