/**
 * Graceful shutdown of a real process. A request is held in flight by sending its body in two halves: the
 * server has the request but cannot finish it until the second half arrives. SIGTERM then has to refuse
 * new connections, close an idle keep-alive connection, let the held request finish with a real token,
 * and exit 0. A second signal, or SHUTDOWN_TIMEOUT_MS passing with a request still open, exits 1.
 */
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { recordTokens } from '../setup/log-scan-capture.ts';
import { processGroup, type PortcullisProcess } from '../helpers/process.ts';
import { CLIENT_SECRET } from '../helpers/server.ts';

const group = processGroup();
const start = (env: Record<string, string> = {}) => group.start({ env });

afterAll(() => group.cleanup());

interface HeldRequest {
  /** Sends the rest of the body; resolves with the answer. */
  finish(): Promise<{ status: number; body: Record<string, unknown> }>;
  readonly req: ClientRequest;
}

/** A client-credentials token request whose body stops halfway until `finish()`. */
async function heldTokenRequest(proc: PortcullisProcess): Promise<HeldRequest> {
  const body = new URLSearchParams({ grant_type: 'client_credentials', scope: 'api:read' }).toString();
  const half = Math.floor(body.length / 2);
  const req = request(`${proc.url}/token`, {
    method: 'POST',
    agent: false,
    headers: {
      authorization: `Basic ${Buffer.from(`app:${CLIENT_SECRET}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(Buffer.byteLength(body)),
    },
  });
  const answer = new Promise<IncomingMessage>((resolve, reject) => {
    req.once('response', resolve);
    req.once('error', reject);
  });
  answer.catch(() => {}); // a test that lets the process die under it never awaits the answer
  req.flushHeaders();
  req.write(body.slice(0, half));
  await new Promise<void>((resolve) => req.once('socket', (s) => (s.connecting ? s.once('connect', () => resolve()) : resolve())));
  // A request on a later connection, answered: by then the server has read the held request's headers
  // (it reads sockets in the order their data arrives), so to it the held request is in flight, not an
  // idle connection. That later connection stays open, idle, as keep-alive (fetch keeps them).
  expect((await fetch(`${proc.url}/healthz`)).status).toBe(200);
  return {
    req,
    finish: async () => {
      req.end(body.slice(half));
      const res = await answer;
      let text = '';
      for await (const chunk of res) text += String(chunk);
      return { status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> };
    },
  };
}

/** Bounded wait until the process has printed `text`. */
async function logged(proc: PortcullisProcess, text: string): Promise<void> {
  for (let i = 0; i < 200 && !proc.output().includes(text); i += 1) await new Promise((r) => setTimeout(r, 25));
  expect(proc.output()).toContain(text);
}

function exitCode(proc: PortcullisProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (proc.child.exitCode !== null) return resolve(proc.child.exitCode);
    proc.child.once('exit', (code) => resolve(code));
  });
}

test('SIGTERM: new connections are refused, the request in flight completes, the process exits 0', async () => {
  const proc = await start();
  // heldTokenRequest leaves an idle keep-alive connection open too: it must not hold the shutdown open.
  const held = await heldTokenRequest(proc);
  const exited = exitCode(proc);

  proc.child.kill('SIGTERM');
  await logged(proc, 'shutting down');

  await expect(fetch(`${proc.url}/healthz`, { signal: AbortSignal.timeout(10_000) })).rejects.toThrow();
  expect(proc.child.exitCode).toBeNull();

  const answer = await held.finish();
  recordTokens(answer.body);
  expect(answer.status).toBe(200);
  expect(typeof answer.body.access_token).toBe('string');

  expect(await exited).toBe(0);
  expect(proc.output()).toContain('"msg":"stopped"');
});

test('a second signal while requests are in flight exits 1 at once', async () => {
  const proc = await start();
  const held = await heldTokenRequest(proc);
  const exited = exitCode(proc);
  proc.child.kill('SIGTERM');
  await logged(proc, 'shutting down');
  proc.child.kill('SIGTERM');
  expect(await exited).toBe(1);
  held.req.destroy();
});

test('SHUTDOWN_TIMEOUT_MS passing with a request still open exits 1', async () => {
  const proc = await start({ SHUTDOWN_TIMEOUT_MS: '300' });
  const held = await heldTokenRequest(proc);
  const exited = exitCode(proc);
  proc.child.kill('SIGTERM');
  expect(await exited).toBe(1);
  expect(proc.output()).toContain('shutdown timed out');
  held.req.destroy();
});
