/**
 * The security event log through the real HTTP surface, on both stores: sign-in failure and success,
 * consent granted and denied, tokens issued by grant type, a reused refresh token (exactly one
 * `refresh_token.reuse_detected` naming the client and the account), grant revocation, logout and the
 * account page. Each event is read back from the store and from the server's own pino lines; browser
 * events carry the session id's SHA-256 and never the session cookie. Then the event module's field
 * check, a store that fails, and the CLI (its changes as events, `events tail`; on the MongoDB store).
 */
import { spawnSync } from 'node:child_process';
import * as oidc from 'openid-client';
import { createLogger } from '../../src/logging/index.ts';
import { createSecurityEvents, sha256Hex } from '../../src/security/index.ts';
import { createMemoryStore, type SecurityEventRecord, type Store } from '../../src/store/index.ts';
import type { MongoStore } from '../../src/store/mongo/index.ts';
import { BACKENDS, mongoTestStore, testMongoUri } from '../helpers/backends.ts';
import { Browser, onlyForm, parseForms, type Page } from '../helpers/browser.ts';
import { answerConsent, authorizationRequest, discoverApp, exchangeCode, signIn } from '../helpers/flow.ts';
import { offlineTokens, postForm, refresh } from '../helpers/refresh.ts';
import { CLIENT_SECRET, startTestServer, USER, type TestServer } from '../helpers/server.ts';

const BROWSER_UA = 'SecurityEventsTest/1.0 (X11; Linux x86_64)';
const WRONG = 'not the password';
const HEX64 = /^[0-9a-f]{64}$/;

/** The browser's raw session id (the `_session` cookie), which no event may carry. */
async function sessionCookie(browser: Browser, issuer: string): Promise<string> {
  const cookie = (await browser.jar.getCookies(issuer)).find((c) => c.key === '_session');
  if (!cookie) throw new Error('no session cookie');
  return cookie.value;
}

describe.each(BACKENDS)('%s store', (_backend, makeStore) => {
  let srv: TestServer;
  let app: oidc.Configuration;
  beforeEach(async () => {
    srv = await startTestServer({ store: await makeStore() });
    app = await discoverApp(srv.issuer);
  });
  afterEach(() => srv.close());

  /** The stored events, oldest first (the store answers newest first). */
  async function stored(query: { accountId?: string; clientId?: string } = {}): Promise<SecurityEventRecord[]> {
    await srv.app.events.flush();
    return (await srv.store.securityEvents.query({ limit: 100, ...query })).reverse();
  }
  const logged = (event: string) => srv.logs().filter((l) => l.event === event);
  const accountId = async () => (await srv.store.accounts.findByEmail(USER.email))?.id ?? '';

  /** Through the hosted pages up to the consent page: one failed attempt, then the right password. */
  async function toConsent(): Promise<{ browser: Browser; page: Page; request: Awaited<ReturnType<typeof authorizationRequest>> }> {
    const browser = new Browser(srv.issuer, { 'user-agent': BROWSER_UA });
    const request = await authorizationRequest(app, { scope: 'openid offline_access', prompt: 'consent' });
    const login = await browser.navigate(request.url.href);
    const failed = await signIn(browser, login, USER.email, WRONG);
    expect(failed.html).toContain('name="password"');
    const page = await signIn(browser, failed);
    expect(page.html).toContain('name="decision"');
    return { browser, page, request };
  }

  test('a sign-in: login.failure, login.success, consent.granted, token.issued per grant type, with who, where and which session', async () => {
    const { browser, page, request } = await toConsent();
    // oidc-provider renews the session id each time an interaction completes: the consent is made with this one.
    const session = await sessionCookie(browser, srv.issuer);
    const back = await answerConsent(browser, page);
    const tokens = await exchangeCode(app, { browser, request, callback: new URL(back.url) });
    await oidc.refreshTokenGrant(app, tokens.refresh_token ?? '');
    const sub = await accountId();
    const renewed = await sessionCookie(browser, srv.issuer);

    const mine = await stored({ accountId: sub });
    expect(mine.map((e) => [e.event, e.details.grant_type])).toEqual([
      ['login.success', undefined],
      ['consent.granted', undefined],
      ['token.issued', 'authorization_code'],
      ['token.issued', 'refresh_token'],
    ]);
    expect(mine.every((e) => e.clientId === 'app' && e.details.ip === '127.0.0.1')).toBe(true);
    const failure = (await stored({ clientId: 'app' })).find((e) => e.event === 'login.failure');
    expect(failure).toMatchObject({ accountId: undefined, details: { email_sha256: sha256Hex(USER.email), user_agent: BROWSER_UA } });

    const consent = mine[1];
    expect(consent?.details).toMatchObject({ user_agent: BROWSER_UA, scope: expect.stringContaining('offline_access') });
    expect(consent?.details.session_sha256).toMatch(HEX64);
    expect(consent?.details.session_sha256).toBe(sha256Hex(session));
    expect(mine[2]?.details.grant_id).toBe(consent?.details.grant_id);

    // The pino lines say the same, under the same ids.
    for (const event of mine) expect(logged(event.event).map((l) => l.event_id)).toContain(event.id);
    expect(logged('consent.granted')[0]).toMatchObject({ client_id: 'app', account_id: sub, session_sha256: sha256Hex(session), msg: 'consent granted' });
    const everything = JSON.stringify([await stored(), srv.logs()]);
    for (const secret of [session, renewed, tokens.access_token, tokens.refresh_token, tokens.id_token, USER.password, WRONG, CLIENT_SECRET]) {
      expect(everything).not.toContain(secret);
    }
  });

  test('a reused refresh token: exactly one refresh_token.reuse_detected naming the client and the account, and grant.revoked', async () => {
    const first = await offlineTokens(srv.issuer);
    const second = await refresh(srv.issuer, 'app', first.refresh_token ?? '');
    expect(second.status).toBe(200);
    expect((await refresh(srv.issuer, 'app', first.refresh_token ?? '')).body.error).toBe('invalid_grant');
    // The successor died with the grant: refused, but not another reuse.
    expect((await refresh(srv.issuer, 'app', String(second.body.refresh_token))).body.error).toBe('invalid_grant');
    const sub = await accountId();

    const events = await stored({ clientId: 'app' });
    const reuse = events.filter((e) => e.event === 'refresh_token.reuse_detected');
    expect(reuse).toHaveLength(1);
    expect(reuse[0]).toMatchObject({ clientId: 'app', accountId: sub, details: { reason: 'refresh token already used', ip: '127.0.0.1' } });
    const revoked = events.filter((e) => e.event === 'grant.revoked');
    expect(revoked).toEqual([expect.objectContaining({ clientId: 'app', accountId: sub, details: expect.objectContaining({ reason: 'refresh token reused', grant_id: reuse[0]?.details.grant_id }) })]);
    expect(reuse[0]?.details.grant_id).toEqual(expect.any(String));

    const lines = logged('refresh_token.reuse_detected');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, client_id: 'app', account_id: sub, event_id: reuse[0]?.id });
    expect(logged('token.refused').length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(srv.logs())).not.toContain(first.refresh_token);
  });

  test('the revocation endpoint: grant.revoked, with the reason', async () => {
    const tokens = await offlineTokens(srv.issuer);
    const res = await postForm(srv.issuer, '/token/revocation', 'app', { token: tokens.refresh_token ?? '', token_type_hint: 'refresh_token' });
    expect(res.status).toBe(200);
    const revoked = (await stored({ clientId: 'app' })).filter((e) => e.event === 'grant.revoked');
    expect(revoked).toEqual([expect.objectContaining({ accountId: await accountId(), details: expect.objectContaining({ reason: 'token revoked by the client' }) })]);
  });

  test('consent denied, with the session hash', async () => {
    const { browser, page } = await toConsent();
    const session = await sessionCookie(browser, srv.issuer);
    const back = await answerConsent(browser, page, false);
    expect(new URL(back.url).searchParams.get('error')).toBe('access_denied');
    const denied = (await stored({ accountId: await accountId() })).filter((e) => e.event === 'consent.denied');
    expect(denied).toEqual([expect.objectContaining({ clientId: 'app', details: expect.objectContaining({ session_sha256: sha256Hex(session) }) })]);
  });

  test('logout at /session/end, and signing out on the account page: account, session hash, address', async () => {
    const { browser, page } = await toConsent();
    await answerConsent(browser, page);
    const session = await sessionCookie(browser, srv.issuer);
    const confirm = await browser.navigate(`${srv.issuer}/session/end?client_id=app&post_logout_redirect_uri=${encodeURIComponent('https://app.example/')}`);
    const done = await browser.submit(confirm, onlyForm(confirm), {}, 0);
    expect(done.url).toMatch(/^https:\/\/app\.example\//);
    const sub = await accountId();
    const logout = (await stored({ accountId: sub })).filter((e) => e.event === 'logout');
    expect(logout).toEqual([expect.objectContaining({ clientId: 'app', details: expect.objectContaining({ session_sha256: sha256Hex(session), user_agent: BROWSER_UA }) })]);

    // The account page's actions get the request's details from its scope (they are not handed the request).
    const account = new Browser(srv.issuer, { 'user-agent': BROWSER_UA });
    const signedIn = await signIn(account, await account.navigate(`${srv.issuer}/account`));
    const accountSession = await sessionCookie(account, srv.issuer);
    const form = parseForms(signedIn.html).find((f) => f.action === '/account/logout');
    if (!form) throw new Error('no sign-out form');
    await account.submit(signedIn, form);
    const out = (await stored({ accountId: sub })).filter((e) => e.event === 'account.logout');
    expect(out).toEqual([expect.objectContaining({ details: expect.objectContaining({ ip: '127.0.0.1', user_agent: BROWSER_UA, session_sha256: sha256Hex(accountSession) }) })]);
    expect(JSON.stringify(await stored())).not.toContain(accountSession);
  });

  test('a store that fails never fails the request: the event is logged, the failure too', async () => {
    await srv.close();
    const base = await makeStore();
    const failing: Store = { ...base, securityEvents: { append: () => Promise.reject(new Error('store down')), query: (q) => base.securityEvents.query(q) } };
    srv = await startTestServer({ store: failing });
    app = await discoverApp(srv.issuer);
    const tokens = await offlineTokens(srv.issuer);
    expect(tokens.access_token).toEqual(expect.any(String));
    await srv.app.events.flush();
    expect(logged('token.issued')).toHaveLength(1);
    expect(srv.logs().filter((l) => l.msg === 'security event not stored').length).toBeGreaterThanOrEqual(3);
  });
});

describe('the event module', () => {
  test('takes only its own fields, each checked; the rest is dropped by name, never by value', async () => {
    const lines: string[] = [];
    const store = createMemoryStore();
    const events = createSecurityEvents({ logger: createLogger('trace', { write: (l: string) => void lines.push(l) }), store: store.securityEvents, retentionDays: 90 });
    const token = 'Xq3v9Lr_kP2mZ8wT-nB4yH6cJ1sD7fG0aE5uR9oI2lK';
    const fields = { client_id: 'app', reason: `bad ${token}`, password: 'hunter2hunter2', grant_type: 'refresh_token' };
    events.emit('token.issued', fields as never);
    await events.flush();

    const [record] = await store.securityEvents.query({ limit: 10 });
    expect(record).toMatchObject({ event: 'token.issued', clientId: 'app', details: { grant_type: 'refresh_token' } });
    expect(record?.expiresAt.getTime()).toBe((record?.time.getTime() ?? 0) + 90 * 86_400_000);
    const all = lines.join('');
    expect(all).not.toContain(token);
    expect(all).not.toContain('hunter2');
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toContainEqual(
      expect.objectContaining({ level: 40, security_event: 'token.issued', dropped_fields: ['reason', 'password'] }),
    );
  });
});

describe('the CLI (which works on the MongoDB store only): its changes and events tail', () => {
  const CLI = new URL('../../src/cli/index.ts', import.meta.url).pathname;
  let srv: TestServer;
  let store: MongoStore;
  beforeAll(async () => {
    store = await mongoTestStore();
    srv = await startTestServer({ store });
  });
  afterAll(() => srv.close());

  /** The CLI on this server's database (the test server's URI with the database as its path). */
  function cli(args: string[]) {
    const uri = testMongoUri().replace(/^(mongodb(?:\+srv)?:\/\/[^/?]*)\/?[^?]*/, `$1/${store.db.databaseName}`);
    const env = { PATH: process.env.PATH ?? '', MONGODB_URI: uri, MONGODB_CONNECT_TIMEOUT: '5', LOG_LEVEL: 'silent' };
    const r = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8' });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) as Array<Record<string, unknown>> };
  }
  const tail = (args: string[]) => cli(['events', 'tail', ...args]);

  test('filters by account (sub or email), client and since, newest last, at most --limit', async () => {
    await offlineTokens(srv.issuer);
    await srv.app.events.flush();
    const sub = (await store.accounts.findByEmail(USER.email))?.id ?? '';
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
    const planted = (id: string, event: string, time: Date, accountId: string | undefined, clientId: string) =>
      store.securityEvents.append({ id, event, time, accountId, clientId, details: { ip: '192.0.2.9' }, expiresAt: new Date(Date.now() + 86_400_000) });
    await planted('000000000001-old', 'login.success', hoursAgo(3), sub, 'app');
    await planted('000000000002-spa', 'token.issued', hoursAgo(0.5), 'someone-else', 'spa');

    const byEmail = tail(['--account', USER.email, '--json']);
    expect(byEmail.code).toBe(0);
    const events = byEmail.json();
    expect(events[0]).toMatchObject({ event: 'login.success', ip: '192.0.2.9' });
    expect(events.at(-1)).toMatchObject({ event: 'token.issued', grant_type: 'authorization_code', client_id: 'app', account_id: sub });
    expect(events.every((e) => e.account_id === sub)).toBe(true);
    expect(tail(['--account', sub, '--json']).json()).toEqual(events);

    expect(tail(['--client', 'spa', '--json']).json().map((e) => e.event)).toEqual(['token.issued']);
    const recent = tail(['--account', sub, '--since', '1h', '--json']).json();
    expect(recent.map((e) => e.event)).toEqual(events.slice(1).map((e) => e.event));
    expect(tail(['--account', sub, '--since', hoursAgo(4).toISOString(), '--json']).json()).toHaveLength(events.length);
    expect(tail(['--account', sub, '--limit', '2', '--json']).json()).toEqual(events.slice(-2));

    const text = tail(['--account', sub]);
    const lines = text.stdout.trim().split('\n');
    expect(lines).toHaveLength(events.length);
    expect(lines.at(-1)).toMatch(/^\S+Z\ttoken\.issued\t.*grant_type=authorization_code/);
    expect(text.stdout).not.toMatch(/[0-9a-f]{64}/);
  });

  test('an administrator\'s changes are events too, with actor cli', async () => {
    expect(cli(['users', 'disable', '--email', USER.email]).code).toBe(0);
    expect(cli(['users', 'enable', '--email', USER.email]).code).toBe(0);
    const sub = (await store.accounts.findByEmail(USER.email))?.id;
    expect(tail(['--account', USER.email, '--limit', '2', '--json']).json()).toEqual([
      expect.objectContaining({ event: 'user.disabled', account_id: sub, actor: 'cli', email_sha256: sha256Hex(USER.email) }),
      expect.objectContaining({ event: 'user.enabled', account_id: sub, actor: 'cli' }),
    ]);
  });

  test('a bad --since is a usage error; an unknown email is refused', () => {
    const bad = tail(['--since', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^portcullis: --since must be a duration \(30m, 1h, 2d\) or an ISO 8601 time; usage: npm run cli -- events tail/);
    const unknown = tail(['--account', 'nobody@example.com']);
    expect([unknown.code, unknown.stderr.trim()]).toEqual([1, 'portcullis: no user nobody@example.com']);
  });
});
