/**
 * A MongoDB outage, for real: Portcullis runs as a process on a database server of this test's own; the
 * test kills that server, checks that the token endpoint, the authorization endpoint, userinfo and the
 * hosted login page answer 503 `temporarily_unavailable` (and the process stays up), that /readyz says
 * unready while /healthz stays alive, then starts the server again on the same port and data folder and
 * checks that the same process recovers by itself: ready again, the earlier refresh token refreshes,
 * and a new code flow works. A server that hangs instead (SIGSTOP: connections stay open, nothing
 * answers) must not leave requests waiting either.
 */
import { recordTokens } from '../setup/log-scan-capture.ts';
import { startDedicatedDatabase, type DedicatedDatabase } from '../setup/test-database.ts';
import { Browser, onlyForm } from '../helpers/browser.ts';
import { authorizationRequest, discoverApp, exchangeCode, runFrontChannel } from '../helpers/flow.ts';
import { sharedFiles, startPortcullis, type PortcullisProcess } from '../helpers/process.ts';
import { field, refresh, type TokenAnswer } from '../helpers/refresh.ts';
import { USER } from '../helpers/server.ts';

/** Short enough that the test is quick; each request may wait this long per database operation. */
const OPERATION_TIMEOUT_MS = 1000;
/** Generous: "it answered", not "it answered fast". */
const ANSWER_WITHIN_MS = 30_000;

let database: DedicatedDatabase | undefined;
let portcullis: PortcullisProcess | undefined;

beforeAll(async () => {
  database = await startDedicatedDatabase();
  if (!database) throw new Error('no mongod or ferretdb on PATH: the outage test needs a database server it may stop (README "Testing")');
  portcullis = await startPortcullis({
    mongodbUri: `${database.uri}portcullis_outage`,
    ...sharedFiles(),
    env: { MONGODB_OPERATION_TIMEOUT_MS: String(OPERATION_TIMEOUT_MS) },
  });
}, 60_000);

afterAll(async () => {
  await portcullis?.stop('SIGKILL');
  await database?.stop();
});

async function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${portcullis?.url}${path}`, { headers, redirect: 'manual', signal: AbortSignal.timeout(ANSWER_WITHIN_MS) });
}

function expectUnavailable(answer: TokenAnswer): void {
  expect(answer.status).toBe(503);
  expect(answer.body.error).toBe('temporarily_unavailable');
  expect(typeof answer.body.error_description).toBe('string');
}

/** /readyz until it answers `status` (bounded: the driver reconnects within a few heartbeats). */
async function readyzBecomes(status: number): Promise<Response> {
  for (let attempt = 0; ; attempt += 1) {
    const res = await get('/readyz');
    if (res.status === status || attempt >= 120) return res;
    await res.body?.cancel();
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('MongoDB goes away and comes back: 503 temporarily_unavailable, unready, then recovery without a restart', async () => {
  const proc = portcullis as PortcullisProcess;
  const db = database as DedicatedDatabase;
  const app = await discoverApp(proc.issuer);
  const flow = await runFrontChannel(proc.issuer, app, { scope: 'openid offline_access', prompt: 'consent' });
  const tokens = await exchangeCode(app, flow);
  const refreshToken = tokens.refresh_token ?? '';
  expect(refreshToken).not.toBe('');

  // A sign-in started before the outage, to be submitted during it.
  const pending = new Browser(proc.issuer);
  const loginPage = await pending.navigate((await authorizationRequest(app)).url.href);
  expect(loginPage.html).toContain('name="password"');

  await db.kill('SIGKILL');

  // The token endpoint (JSON).
  expectUnavailable(await refresh(proc.issuer, 'app', refreshToken));

  // Userinfo with the access token the flow returned (opaque: it is looked up in the store).
  const me = await get('/me', { authorization: `Bearer ${tokens.access_token}` });
  expect(me.status).toBe(503);
  expect(((await me.json()) as { error?: string }).error).toBe('temporarily_unavailable');

  // The authorization endpoint, as a browser sees it: the error page with status 503.
  const auth = await new Browser(proc.issuer).navigate((await authorizationRequest(app)).url.href);
  expect(auth.status).toBe(503);
  expect(auth.html).toContain('temporarily_unavailable');

  // A hosted page of our own: the sign-in submitted while the database is away.
  const login = await pending.submit(loginPage, onlyForm(loginPage), { email: USER.email, password: USER.password });
  expect(login.status).toBe(503);
  expect(login.html).toContain('temporarily_unavailable');

  // Unready, but alive: nothing should restart this process.
  const unready = await get('/readyz');
  expect(unready.status).toBe(503);
  expect(await unready.json()).toMatchObject({ status: 'unready', checks: { store: 'unreachable' } });
  expect((await get('/healthz')).status).toBe(200);
  expect(proc.child.exitCode).toBeNull();

  await db.restart();

  const ready = await readyzBecomes(200);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toMatchObject({ status: 'ready' });

  // The refresh token issued before the outage still works, on the same process.
  const refreshed = await refresh(proc.issuer, 'app', refreshToken);
  recordTokens(refreshed.body);
  expect(refreshed.status).toBe(200);
  expect(field(refreshed, 'refresh_token')).not.toBe(refreshToken);

  // And so does a whole new flow.
  const again = await exchangeCode(app, await runFrontChannel(proc.issuer, app, { scope: 'openid offline_access', prompt: 'consent' }));
  expect(again.refresh_token).toBeDefined();

  expect(proc.child.exitCode).toBeNull();
  const log = proc.output();
  expect(log).toContain('MongoDB unreachable; requests answer 503 temporarily_unavailable until it returns');
  expect(log).toContain('MongoDB answers again; requests are served');
  expect(log).not.toContain('oidc-provider server error');
}, 120_000);

test('a MongoDB that hangs (connections open, no answers) gets 503s too, not requests waiting forever', async () => {
  const proc = portcullis as PortcullisProcess;
  const db = database as DedicatedDatabase;
  const app = await discoverApp(proc.issuer);
  const tokens = await exchangeCode(app, await runFrontChannel(proc.issuer, app, { scope: 'openid offline_access', prompt: 'consent' }));
  const refreshToken = tokens.refresh_token ?? '';

  db.pause();
  try {
    expectUnavailable(await refresh(proc.issuer, 'app', refreshToken));
    const unready = await get('/readyz');
    expect(unready.status).toBe(503);
    await unready.body?.cancel();
    expect(proc.child.exitCode).toBeNull();
  } finally {
    db.resume();
  }

  expect((await readyzBecomes(200)).status).toBe(200);
  const refreshed = await refresh(proc.issuer, 'app', refreshToken);
  recordTokens(refreshed.body);
  expect(refreshed.status).toBe(200);
}, 120_000);
