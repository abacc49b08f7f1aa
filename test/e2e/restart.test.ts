/**
 * Restart-safety on MongoDB: after a full flow, the server process stops and a new one starts on the
 * same database. The refresh token still works, the browser session still signs the person in without
 * the password, and clients and users are still there. A second instance on the same database
 * refreshes a token the first one issued.
 */
import { MongoClient } from 'mongodb';
import * as oidc from 'openid-client';
import { Browser } from '../helpers/browser.ts';
import { authorizationRequest, discoverApp, exchangeCode, runFrontChannel, APP_REDIRECT } from '../helpers/flow.ts';
import { sharedFiles, startPortcullis, type PortcullisProcess } from '../helpers/process.ts';
import { testDatabaseName, testMongoUri } from '../helpers/backends.ts';
import { CLIENT_SECRET, USER } from '../helpers/server.ts';

const dbName = testDatabaseName();
const mongodbUri = `${testMongoUri()}${dbName}`;
const files = sharedFiles();
const running: PortcullisProcess[] = [];

async function start(options: { port?: number; issuer?: string } = {}): Promise<PortcullisProcess> {
  const proc = await startPortcullis({ mongodbUri, ...files, ...options });
  running.push(proc);
  return proc;
}

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
  const client = new MongoClient(testMongoUri());
  await client.connect();
  await client.db(dbName).dropDatabase();
  await client.close();
});

test('a new process on the same database keeps refresh tokens, browser sessions, clients and users', async () => {
  const first = await start();
  const app = await discoverApp(first.issuer);
  const browser = new Browser(first.issuer);
  const flow = await runFrontChannel(first.issuer, app, { scope: 'openid offline_access', prompt: 'consent' }, browser);
  const tokens = await exchangeCode(app, flow);
  expect(await first.stop('SIGTERM')).toBe(0);

  const port = Number(new URL(first.issuer).port);
  const second = await start({ port });
  // The refresh token the first process issued works on the second.
  const refreshed = await oidc.refreshTokenGrant(app, tokens.refresh_token ?? '');
  expect(refreshed.access_token).toBeDefined();

  // The browser session survived: a new authorization request goes straight back to the app.
  const again = await authorizationRequest(app, { scope: 'openid' });
  const page = await browser.navigate(again.url.href);
  expect(page.url.startsWith(`${APP_REDIRECT}?code=`)).toBe(true);
  expect(page.html).not.toContain('name="password"');

  // Clients and users are still there (the flow above used both; check the store too).
  const client = new MongoClient(testMongoUri());
  await client.connect();
  try {
    const db = client.db(dbName);
    expect((await db.collection('accounts').find({}).toArray()).map((a) => a.email)).toEqual([USER.email]);
    expect((await db.collection('clients').find({}).toArray()).map((c) => c._id).sort()).toEqual(['app', 'spa']);
  } finally {
    await client.close();
  }
  await second.stop();
});

test('a second instance on the same database refreshes a token the first one issued', async () => {
  const a = await start();
  // Behind one load balancer both instances share the issuer; B is reached on its own port here.
  const b = await start({ issuer: a.issuer });
  const app = await discoverApp(a.issuer);
  const flow = await runFrontChannel(a.issuer, app, { scope: 'openid offline_access', prompt: 'consent' });
  const tokens = await exchangeCode(app, flow);

  const res = await fetch(`${b.url}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`app:${CLIENT_SECRET}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token ?? '' }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { refresh_token: string; access_token: string };
  expect(body.refresh_token).not.toBe(tokens.refresh_token);
  // And A accepts what B issued.
  const back = await oidc.refreshTokenGrant(app, body.refresh_token);
  expect(back.access_token).toBeDefined();
});
