/**
 * Observability through the real HTTP surface: request ids (fresh, echoed when sane, replaced when
 * not, on every log line of the request), where /metrics is served (nowhere by default; on PORT behind
 * METRICS_TOKEN; only on its own listener with METRICS_PORT), and, on both stores, what a code flow
 * with a failed, a throttled and a successful sign-in leaves in the metrics: requests by bounded route
 * and status, tokens by grant type, login outcomes, and store operation timings.
 */
import * as oidc from 'openid-client';
import { LOGIN_FAILED } from '../../src/interactions/index.ts';
import { BACKENDS } from '../helpers/backends.ts';
import { Browser } from '../helpers/browser.ts';
import { answerConsent, authorizationRequest, discoverApp, exchangeCode, signIn } from '../helpers/flow.ts';
import { API, startTestServer, USER, type TestServer } from '../helpers/server.ts';
import { recordSecret } from '../setup/log-scan-capture.ts';

const TOKEN = 'metrics-scrape-token-0123456789abcdefghijk';
recordSecret('token', TOKEN);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const WRONG = 'not the password';

interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** The samples of a Prometheus text exposition (`name{a="x",b="y"} value`). */
function parseSamples(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const m = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!m) throw new Error(`not a sample: ${line}`);
      const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
      return { name: m[1] ?? '', labels, value: Number(m[3]) };
    });
}

/** The sum of the samples named `name` whose labels include `labels`. */
function total(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('request ids', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer();
  });
  afterAll(() => srv.close());

  const linesOf = (id: string) => srv.logs().filter((l) => l.request_id === id);

  test('a response without one gets a fresh UUID, and every line logged while handling it carries it', async () => {
    const res = await fetch(`${srv.url}/interaction/no-such-interaction`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    const id = res.headers.get('x-request-id') ?? '';
    expect(id).toMatch(UUID);
    const lines = linesOf(id);
    expect(lines.map((l) => l.msg)).toContain('request completed');
    expect(lines.find((l) => l.msg === 'request completed')).toMatchObject({ method: 'GET', route: '/interaction/:uid', status: res.status });
    // No line of a request goes without its id.
    expect(srv.logs().filter((l) => l.msg === 'request completed' && typeof l.request_id !== 'string')).toEqual([]);
  });

  test("oidc-provider's answers carry one too, its errors included", async () => {
    const discovery = await fetch(`${srv.url}/.well-known/openid-configuration`);
    const refused = await fetch(`${srv.url}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=nope' });
    expect([discovery.status, refused.status]).toEqual([200, 400]);
    for (const res of [discovery, refused]) expect(res.headers.get('x-request-id')).toMatch(UUID);
    expect(linesOf(refused.headers.get('x-request-id') ?? '')).toContainEqual(expect.objectContaining({ route: 'token', status: 400 }));
  });

  test('the lines a sign-in writes (its security event included) carry the id of the request that wrote them', async () => {
    const app = await discoverApp(srv.issuer);
    const browser = new Browser(srv.issuer);
    const login = await browser.navigate((await authorizationRequest(app)).url.href);
    const failed = await signIn(browser, login, USER.email, WRONG);
    expect(failed.html).toContain(LOGIN_FAILED);
    const id = failed.headers.get('x-request-id') ?? '';
    expect(id).toMatch(UUID);
    expect(linesOf(id)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ event: 'login.failure', request_id: id }),
        expect.objectContaining({ msg: 'request completed', method: 'POST', route: '/interaction/:uid/login', status: 200 }),
      ]),
    );
    expect(linesOf(login.headers.get('x-request-id') ?? '')).not.toContainEqual(expect.objectContaining({ event: 'login.failure' }));
  });

  test('a sane incoming X-Request-Id is echoed and logged', async () => {
    for (const incoming of ['trace-7f3a.B_9:1', '01J9ZQ4M3V8K2N6P0R5S7T1W3X', 'f47ac10b-58cc-4372-a567-0e02b2c3d479', 'x'.repeat(128)]) {
      const res = await fetch(`${srv.url}/healthz`, { headers: { 'x-request-id': incoming } });
      expect(res.headers.get('x-request-id')).toBe(incoming);
      expect(linesOf(incoming)).toContainEqual(expect.objectContaining({ msg: 'request completed', route: '/healthz', status: 200 }));
    }
  });

  test('an incoming id that is too long or not a plain id is replaced, and never logged', async () => {
    const hostile = ['x'.repeat(129), 'two words', 'a\tb', '{"level":60,"msg":"forged"}', '"quoted"', 'id,other', '<script>', 'a/b', ''];
    for (const incoming of hostile) {
      const res = await fetch(`${srv.url}/healthz`, { headers: { 'x-request-id': incoming } });
      const id = res.headers.get('x-request-id') ?? '';
      expect(id).toMatch(UUID);
      expect(linesOf(id)).toContainEqual(expect.objectContaining({ route: '/healthz' }));
    }
    const logged = JSON.stringify(srv.logs());
    for (const incoming of hostile.filter((h) => h.length > 3)) expect(logged).not.toContain(JSON.stringify(incoming).slice(1, -1));
  });
});

describe('where /metrics is served', () => {
  const running: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.close()));
  });
  const start = async (env: Record<string, string> = {}) => {
    const srv = await startTestServer({ env });
    running.push(srv);
    return srv;
  };

  test('neither METRICS_PORT nor METRICS_TOKEN: nowhere (404)', async () => {
    const srv = await start();
    expect(srv.metricsUrl).toBeUndefined();
    expect((await fetch(`${srv.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${srv.url}/metrics`, { headers: bearer(TOKEN) })).status).toBe(404);
  });

  test('METRICS_TOKEN: on PORT, 401 without the token or with a wrong one, 200 with it', async () => {
    const srv = await start({ METRICS_TOKEN: TOKEN });
    const refusals = [
      {},
      bearer(TOKEN.slice(0, -1)),
      bearer(`${TOKEN}x`),
      bearer(`${TOKEN.slice(0, -1)}K`),
      bearer(''),
      { authorization: `Basic ${Buffer.from(`metrics:${TOKEN}`).toString('base64')}` },
      { authorization: TOKEN },
    ];
    for (const headers of refusals) {
      const res = await fetch(`${srv.url}/metrics`, { headers: { accept: 'application/json', ...headers } });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      expect(res.headers.get('x-request-id')).toMatch(UUID);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body.error).toBe('access_denied');
      expect(JSON.stringify(body)).not.toContain('portcullis_');
    }
    expect((await fetch(`${srv.url}/metrics?access_token=${TOKEN}`)).status).toBe(401);

    for (const authorization of [`Bearer ${TOKEN}`, `bearer ${TOKEN}`]) {
      const res = await fetch(`${srv.url}/metrics`, { headers: { authorization } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const samples = parseSamples(await res.text());
      // The process metrics and ours, on the app's own registry.
      expect(total(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
      expect(total(samples, 'portcullis_http_requests_total', { route: '/metrics', status: '401' })).toBe(refusals.length + 1);
    }
    expect(JSON.stringify(srv.logs())).not.toContain(TOKEN);
  });

  test('METRICS_PORT: only on its own listener, never on PORT', async () => {
    const srv = await start({ METRICS_PORT: '0' });
    expect(srv.metricsUrl).toEqual(expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/));
    expect(srv.metricsUrl).not.toBe(srv.url);
    expect((await fetch(`${srv.url}/metrics`)).status).toBe(404);
    const res = await fetch(`${srv.metricsUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(total(parseSamples(await res.text()), 'portcullis_http_requests_total', { route: 'other', status: '404' })).toBe(1);
    // The metrics listener serves nothing else: not the issuer's pages, not its discovery.
    expect((await fetch(`${srv.metricsUrl}/.well-known/openid-configuration`)).status).toBe(404);
    expect((await fetch(`${srv.metricsUrl}/healthz`)).status).toBe(404);
  });

  test('METRICS_PORT with METRICS_TOKEN: the listener of its own asks for the token too; PORT still has none', async () => {
    const srv = await start({ METRICS_PORT: '0', METRICS_TOKEN: TOKEN });
    expect((await fetch(`${srv.url}/metrics`, { headers: bearer(TOKEN) })).status).toBe(404);
    expect((await fetch(`${srv.metricsUrl}/metrics`)).status).toBe(401);
    expect((await fetch(`${srv.metricsUrl}/metrics`, { headers: bearer(TOKEN) })).status).toBe(200);
  });
});

describe.each(BACKENDS)('metrics after a code flow on the %s store', (_backend, makeStore) => {
  let srv: TestServer;
  let now = Date.now();
  beforeAll(async () => {
    srv = await startTestServer({
      store: await makeStore(),
      env: { METRICS_TOKEN: TOKEN, LOGIN_FREE_FAILURES: '1', LOGIN_BACKOFF_BASE_SECONDS: '60' },
      clock: () => now,
    });
  });
  afterAll(() => srv.close());

  const scrape = async () => {
    await srv.app.events.flush();
    const res = await fetch(`${srv.url}/metrics`, { headers: bearer(TOKEN) });
    expect(res.status).toBe(200);
    return res.text();
  };

  test('requests by route and status, tokens by grant type, login outcomes, store operations', async () => {
    const app = await discoverApp(srv.issuer);
    const browser = new Browser(srv.issuer);
    const request = await authorizationRequest(app, { scope: 'openid offline_access', prompt: 'consent' });
    const login = await browser.navigate(request.url.href);
    const uid = /\/interaction\/([^/?]+)/.exec(login.url)?.[1] ?? '';
    expect(uid).not.toBe('');
    const failed = await signIn(browser, login, USER.email, WRONG);
    expect(failed.status).toBe(200);
    const throttled = await signIn(browser, failed);
    expect(throttled.status).toBe(429);
    now += 61_000;
    const consent = await signIn(browser, throttled);
    expect(consent.html).toContain('name="decision"');
    const back = await answerConsent(browser, consent);
    const tokens = await exchangeCode(app, { browser, request, callback: new URL(back.url) });
    await oidc.refreshTokenGrant(app, tokens.refresh_token ?? '');
    await oidc.clientCredentialsGrant(app, { scope: 'api:read', resource: API });

    const text = await scrape();
    const samples = parseSamples(text);
    const requests = (labels: Record<string, string>) => total(samples, 'portcullis_http_requests_total', labels);

    expect(['authorization_code', 'refresh_token', 'client_credentials'].map((g) => total(samples, 'portcullis_tokens_issued_total', { grant_type: g }))).toEqual([1, 1, 1]);
    expect(['failure', 'throttled', 'success'].map((o) => total(samples, 'portcullis_login_attempts_total', { outcome: o }))).toEqual([1, 1, 1]);

    // oidc-provider's routes by name, ours by template; each sign-in by the status it got.
    expect(requests({ method: 'POST', route: 'token', status: '200' })).toBe(3);
    expect(total(samples, 'portcullis_http_request_duration_seconds_count', { route: 'token', status: '200' })).toBe(3);
    expect(requests({ method: 'GET', route: 'discovery', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(requests({ method: 'GET', route: 'authorization', status: '303' })).toBe(1);
    expect(requests({ method: 'GET', route: 'resume', status: '303' })).toBeGreaterThanOrEqual(1);
    expect(requests({ method: 'GET', route: '/interaction/:uid', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(['200', '429', '303'].map((status) => requests({ method: 'POST', route: '/interaction/:uid/login', status }))).toEqual([1, 1, 1]);
    expect(requests({ method: 'POST', route: '/interaction/:uid/consent', status: '303' })).toBe(1);
    // Bounded labels: no raw path, no interaction uid, no code.
    const routes = new Set(samples.filter((s) => s.name === 'portcullis_http_requests_total').map((s) => s.labels.route ?? ''));
    for (const route of routes) expect(route).toMatch(/^(other|[a-z_.]+|(\/[a-z_.:-]+)+)$/);
    expect(text).not.toContain(uid);
    expect(text).not.toContain(new URL(back.url).searchParams.get('code') ?? '<no code>');

    // Every port the flow used, timed by port and operation; none failed.
    const timed = (port: string, operation: string) => total(samples, 'portcullis_store_operation_duration_seconds_count', { port, operation });
    expect(timed('accounts', 'findByEmail')).toBeGreaterThanOrEqual(2);
    expect(timed('clients', 'find')).toBeGreaterThanOrEqual(1);
    expect(timed('loginAttempts', 'add')).toBe(3);
    expect(timed('loginAttempts', 'recordSuccess')).toBe(1);
    expect(timed('securityEvents', 'append')).toBeGreaterThanOrEqual(5);
    expect(timed('models.Interaction', 'upsert')).toBeGreaterThanOrEqual(1);
    expect(timed('models.Session', 'upsert')).toBeGreaterThanOrEqual(1);
    expect(timed('models.AuthorizationCode', 'consume')).toBe(1);
    expect(timed('models.RefreshToken', 'find')).toBeGreaterThanOrEqual(1);
    const buckets = samples.filter((s) => s.name === 'portcullis_store_operation_duration_seconds_bucket' && s.labels.port === 'accounts' && s.labels.operation === 'findByEmail');
    expect(buckets.find((b) => b.labels.le === '+Inf')?.value).toBe(timed('accounts', 'findByEmail'));
    expect(total(samples, 'portcullis_store_operation_errors_total')).toBe(0);
  });
});
