/**
 * Connecting to MongoDB: retry with backoff until the configured deadline, then one line naming the
 * host (never the credentials). A malformed URI is one line too. Writes that hand out credentials must
 * survive a failover, so the client writes with majority concern (journaled) and reads from the primary:
 * a token is only ever returned after the database acknowledged it that way (test/e2e/kill9.test.ts).
 *
 * While the server runs, no operation may wait unbounded: a request must answer 503 within about
 * MONGODB_OPERATION_TIMEOUT_MS when the database is gone or hangs. Driver 7 ignores the client-wide
 * `timeoutMS` (it is deprecated there), so the bound is made of the classic timeouts, each set to it:
 * server selection, connecting, every socket read, waiting for a pooled connection, and the majority
 * acknowledgement (`wtimeoutMS`).
 */
import { MongoClient, MongoParseError } from 'mongodb';

export class StoreConnectError extends Error {
  override readonly name = 'StoreConnectError';
}

/** The hosts of a connection string, without user, password, path or options. */
export function describeHosts(uri: string): string {
  const afterScheme = uri.replace(/^[a-z+]+:\/\//i, '');
  const authority = afterScheme.split(/[/?]/)[0] ?? '';
  const hosts = authority.includes('@') ? authority.slice(authority.lastIndexOf('@') + 1) : authority;
  return hosts || '(no host)';
}

export interface ConnectOptions {
  readonly uri: string;
  /** How long to keep retrying at start-up, in ms. */
  readonly connectTimeoutMs: number;
  /** How long one operation waits for a server before failing, in ms. */
  readonly serverSelectionTimeoutMs: number;
  /** The bound on connecting, each socket read, pool waits and majority acknowledgement, in ms; unset: none. */
  readonly operationTimeoutMs?: number;
  readonly onRetry?: (attempt: number, delayMs: number) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

export function createClient(uri: string, serverSelectionTimeoutMs: number, operationTimeoutMs?: number): MongoClient {
  const bounded =
    operationTimeoutMs === undefined
      ? {}
      : { connectTimeoutMS: operationTimeoutMs, socketTimeoutMS: operationTimeoutMs, waitQueueTimeoutMS: operationTimeoutMs };
  try {
    return new MongoClient(uri, {
      serverSelectionTimeoutMS: serverSelectionTimeoutMs,
      ...bounded,
      writeConcern: { w: 'majority', journal: true, ...(operationTimeoutMs === undefined ? {} : { wtimeoutMS: operationTimeoutMs }) },
      readPreference: 'primary',
      retryWrites: true,
      appName: 'portcullis',
    });
  } catch (err) {
    const reason = err instanceof MongoParseError ? err.message.replace(uri, '<uri>') : 'unparseable';
    throw new StoreConnectError(`MONGODB_URI is not a valid MongoDB connection string (${reason})`);
  }
}

export async function connectWithRetry(options: ConnectOptions): Promise<MongoClient> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = Date.now() + options.connectTimeoutMs;
  let delay = 250;
  for (let attempt = 1; ; attempt += 1) {
    const client = createClient(options.uri, Math.min(options.serverSelectionTimeoutMs, Math.max(500, deadline - Date.now())), options.operationTimeoutMs);
    try {
      await client.connect();
      await client.db().command({ ping: 1 });
      return client;
    } catch {
      await client.close().catch(() => {});
      if (Date.now() + delay > deadline) {
        throw new StoreConnectError(
          `cannot reach MongoDB at ${describeHosts(options.uri)} after ${Math.round(options.connectTimeoutMs / 1000)} s (attempt ${attempt}); check MONGODB_URI and that the server is up`,
        );
      }
      options.onRetry?.(attempt, delay);
      await sleep(delay);
      delay = Math.min(delay * 2, 5000);
    }
  }
}
