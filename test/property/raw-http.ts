/**
 * A raw HTTP/1.1 client for the property suite. It is node:http rather than fetch because fetch changes
 * or refuses what the suite means to send as is: dot segments and stray `%` in the request target,
 * methods such as TRACE, several headers of one name, latin1 bytes in header values, a chunked body on
 * any method. Connections are kept alive and at most `concurrency` requests are in flight; every request
 * that got an answer is counted.
 */
import { Agent, request } from 'node:http';

export interface RawRequest {
  readonly method: string;
  /**
   * The request target as sent, percent-escapes left as they are (invalid UTF-8 too): printable ASCII
   * only, because Node's HTTP parser refuses any other byte there before the app sees the request.
   */
  readonly path: string;
  /** In order; a name may repeat. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body?: Buffer | undefined;
  /** Sent with `Transfer-Encoding: chunked`, in two chunks, instead of with a Content-Length. */
  readonly chunked?: boolean | undefined;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
  /** Node's HTTP parser refused an oversized header block (431, or the connection closed first). */
  readonly refusedByParser?: boolean;
}

export interface RawClient {
  send(req: RawRequest): Promise<RawResponse>;
  /** Requests answered so far. */
  readonly sent: number;
  close(): void;
}

/** An answer slower than this is a hang, reported as a failure of the property. */
const TIMEOUT_MS = 15_000;

/**
 * Node's HTTP server takes at most this much of a request line plus headers (`--max-http-header-size`);
 * past it the parser answers 431 and closes the socket, often before the client could read the answer.
 * @see https://nodejs.org/api/cli.html#--max-http-header-sizesize
 */
const MAX_HEADER_BYTES = 16 * 1024;

/** Within a few hundred bytes (the request line, Host, Content-Length, Connection) of the limit, or past it. */
const oversized = (req: RawRequest) => req.path.length + req.headers.reduce((n, [k, v]) => n + k.length + v.length + 4, 0) > MAX_HEADER_BYTES - 512;

export function createRawClient(baseUrl: string, concurrency = 8): RawClient {
  const { hostname, port } = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let sent = 0;

  const once = (req: RawRequest) =>
    new Promise<RawResponse>((resolve, reject) => {
      // A flat [name, value, …] array keeps repeated names and their order; node:http then adds neither
      // Host nor Content-Length, so they are added here unless the request has its own.
      const has = (name: string) => req.headers.some(([k]) => k.toLowerCase() === name);
      const framing = req.chunked ? ['transfer-encoding', 'chunked'] : req.body && !has('content-length') ? ['content-length', String(req.body.length)] : [];
      const headers = [...(has('host') ? [] : ['host', `${hostname}:${port}`]), ...framing, ...req.headers.flatMap(([name, value]) => [name, value])];
      const outgoing = request({ host: hostname, port, method: req.method, path: req.path, headers, agent, timeout: TIMEOUT_MS }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), refusedByParser: res.statusCode === 431 && oversized(req) }),
        );
        res.on('error', reject);
      });
      outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer in ${TIMEOUT_MS} ms`)));
      outgoing.on('error', (err: NodeJS.ErrnoException) => reject(Object.assign(err, { reusedSocket: outgoing.reusedSocket })));
      if (req.chunked && req.body) {
        const half = Math.floor(req.body.length / 2);
        outgoing.write(req.body.subarray(0, half));
        outgoing.end(req.body.subarray(half));
      } else {
        outgoing.end(req.body);
      }
    });

  return {
    async send(req) {
      let res: RawResponse;
      try {
        res = await once(req);
      } catch (err) {
        // A kept-alive socket the server closed just as it was reused: Node's documented retry
        // (https://nodejs.org/api/http.html#requestreusedsocket). A fresh socket failing is a finding.
        const e = err as NodeJS.ErrnoException & { reusedSocket?: boolean };
        const reset = e.code === 'ECONNRESET' || e.code === 'EPIPE';
        if (reset && oversized(req)) {
          res = { status: 431, headers: {}, body: Buffer.alloc(0), refusedByParser: true };
        } else if (reset && e.reusedSocket) {
          res = await once(req);
        } else {
          throw err;
        }
      }
      sent += 1;
      return res;
    },
    get sent() {
      return sent;
    },
    close: () => agent.destroy(),
  };
}

/** The value of a header, the first one when it was sent several times. */
export function header(res: RawResponse, name: string): string | undefined {
  const value = res.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
