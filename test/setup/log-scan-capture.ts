/**
 * What the log scan (log-scan.ts, run by the global teardown) reads, in the run's own folder (the global
 * setup names it in TEST_ARTIFACTS_RUN_DIR, so runs side by side in one checkout never mix):
 * - logs/: every log line the tests' servers write, at level trace — one file per jest worker for the
 *   in-process servers (an asynchronous pino destination, flushed when a test server closes), one per
 *   spawned server process;
 * - secrets/: every secret value the tests see — fixture passwords and client secrets, every token,
 *   code, PKCE verifier and session id the helpers obtain or the test servers hand out — one file
 *   per worker.
 * Outside a jest run (no TEST_ARTIFACTS_RUN_DIR) nothing is written.
 */
import { appendFileSync, createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Middleware } from 'koa';
import { pino, type DestinationStream } from 'pino';

export type SecretKind =
  | 'password'
  | 'client_secret'
  | 'access_token'
  | 'refresh_token'
  | 'id_token'
  | 'authorization_code'
  | 'code_verifier'
  /** A token presented to revocation or introspection (either kind). */
  | 'token'
  | 'session_cookie';

/** Shorter values could match by chance; no secret of ours is that short. */
const MIN_SECRET_LENGTH = 8;
const TOKEN_FIELDS = ['access_token', 'refresh_token', 'id_token'] as const;
/**
 * oidc-provider's session cookie: its value is the session id. (The interaction cookies hold the
 * interaction uid, which is in the hosted pages' URLs by design; their signature is what protects them.)
 */
const SESSION_COOKIE = '_session';

export const runDir = (): string | undefined => process.env.TEST_ARTIFACTS_RUN_DIR;

const made = new Set<string>();

/** This process's file in one of the run's folders, the folder made on first use. */
function fileIn(folder: 'logs' | 'secrets', name: string): string | undefined {
  const dir = runDir();
  if (!dir) return undefined;
  const path = join(dir, folder);
  if (!made.has(path)) mkdirSync(path, { recursive: true });
  made.add(path);
  return join(path, name);
}

let destination: ReturnType<typeof pino.destination> | undefined;

/** The worker's log capture file: buffered, written asynchronously. */
function capture(): ReturnType<typeof pino.destination> | undefined {
  if (destination) return destination;
  const dest = fileIn('logs', `${process.pid}.jsonl`);
  if (!dest) return undefined;
  destination = pino.destination({ dest, sync: false, minLength: 4096, append: true });
  return destination;
}

/**
 * A pino destination that writes every line to the worker's capture file and keeps this server's lines
 * in memory too (`lines`), for the tests that read their own server's log.
 */
export function captureDestination(echo?: NodeJS.WritableStream): { stream: DestinationStream; lines: string[] } {
  const lines: string[] = [];
  const file = capture();
  return {
    lines,
    stream: {
      write(line: string) {
        lines.push(line);
        file?.write(line);
        echo?.write(line);
      },
    },
  };
}

/** Resolves once the capture file holds every line written so far. */
export function flushLogCapture(): Promise<void> {
  const file = destination;
  if (!file) return Promise.resolve();
  return new Promise((resolve) => file.flush(() => resolve()));
}

/** The output of a spawned process, appended to its own capture file. */
export function captureProcessOutput(name: string): WriteStream | undefined {
  const file = fileIn('logs', `${name}.log`);
  return file ? createWriteStream(file, { flags: 'a' }) : undefined;
}

const recorded = new Set<string>();

/** Notes a secret the tests have seen, for the scan; anything but a long enough string is ignored. */
export function recordSecret(kind: SecretKind, value: unknown): void {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return;
  const key = `${kind}\0${value}`;
  if (recorded.has(key)) return;
  const file = fileIn('secrets', `${process.pid}.jsonl`);
  if (!file) return;
  recorded.add(key);
  appendFileSync(file, `${JSON.stringify({ kind, value })}\n`);
}

/** Notes the tokens of a token endpoint response. */
export function recordTokens(response: unknown): void {
  if (!response || typeof response !== 'object') return;
  for (const field of TOKEN_FIELDS) recordSecret(field, (response as Record<string, unknown>)[field]);
}

/** Notes the session cookie among `Set-Cookie` values (`name=value; attributes`). */
export function recordCookies(setCookies: readonly string[]): void {
  for (const cookie of setCookies) {
    const [pair = ''] = cookie.split(';');
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === SESSION_COOKIE) recordSecret('session_cookie', decodeURIComponent(pair.slice(eq + 1).trim()));
  }
}

/** Notes the credentials of an `Authorization` header: Basic (client id and secret, RFC 6749 §2.3.1) or Bearer. */
function recordAuthorization(header: string): void {
  const [scheme, value = ''] = header.split(' ');
  if (scheme?.toLowerCase() === 'bearer') return recordSecret('access_token', value);
  if (scheme?.toLowerCase() !== 'basic') return;
  recordSecret('client_secret', value);
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon >= 0) recordSecret('client_secret', decodeOrRaw(decoded.slice(colon + 1)));
}

/** A malformed escape (`%ff`) must not turn the request into a 500 of this tap's own making. */
function decodeOrRaw(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const PARAM_KINDS: ReadonlyArray<readonly [string, SecretKind]> = [
  ['client_secret', 'client_secret'],
  ['code', 'authorization_code'],
  ['code_verifier', 'code_verifier'],
  ['refresh_token', 'refresh_token'],
  ['token', 'token'],
];

/**
 * Koa middleware for the test servers (first in line): notes every secret that crosses the HTTP surface —
 * passwords posted to the hosted forms, client credentials, token request parameters, issued tokens,
 * codes in redirects, bearer cookies set — whichever test helper (or none) the test used.
 */
export function secretTap(): Middleware {
  return async (ctx, next) => {
    recordAuthorization(ctx.get('authorization'));
    try {
      await next();
    } finally {
      const form = (ctx.request as { body?: unknown }).body;
      if (form && typeof form === 'object') {
        for (const field of ['password', 'current_password', 'new_password']) recordSecret('password', (form as Record<string, unknown>)[field]);
      }
      const params = (ctx as { oidc?: { params?: Record<string, unknown> } }).oidc?.params;
      for (const [param, kind] of PARAM_KINDS) recordSecret(kind, params?.[param]);
      recordTokens(ctx.body);
      const location = ctx.response.get('location');
      if (location) recordSecret('authorization_code', new URL(location, 'http://redirect.invalid').searchParams.get('code'));
      recordCookies([ctx.response.headers['set-cookie'] ?? []].flat().map(String));
    }
  };
}
