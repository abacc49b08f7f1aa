/**
 * The metrics module on its own: a registry per app (never prom-client's global one), process metrics
 * only when asked, every label bounded, the route label's sources, the rate-limit counter other modules
 * call, and login outcomes counted where the throttle settles them.
 */
import type { Context } from 'koa';
import { register as globalRegistry } from 'prom-client';
import type { Admission, LoginThrottle } from '../../src/accounts/index.ts';
import { ConfigError, loadConfig } from '../../src/config/index.ts';
import { createMetrics, type LoginOutcome, type Metrics } from '../../src/http/metrics.ts';
import { routeLabel } from '../../src/http/metrics-http.ts';
import { countLoginOutcomes } from '../../src/http/metrics-login.ts';
import { requestIdFrom } from '../../src/http/request-id.ts';

async function values(metrics: Metrics, name: string): Promise<Array<{ labels: Record<string, unknown>; value: number }>> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  return (await metric.get()).values.map((v) => ({ labels: { ...v.labels }, value: v.value }));
}

test('each app has a registry of its own; the global default registry stays empty', async () => {
  const a = createMetrics({ processMetrics: true });
  const b = createMetrics({ processMetrics: true });
  a.rateLimited('token');
  expect(await values(a, 'portcullis_rate_limited_total')).toEqual([{ labels: { endpoint: 'token' }, value: 1 }]);
  expect(await values(b, 'portcullis_rate_limited_total')).toEqual([]);
  expect(await globalRegistry.getMetricsAsJSON()).toEqual([]);
});

test('process metrics only when asked for (they are collected only when /metrics is served)', async () => {
  expect(await createMetrics({ processMetrics: true }).registry.metrics()).toContain('process_cpu_user_seconds_total');
  expect(await createMetrics({ processMetrics: false }).registry.metrics()).not.toContain('process_');
});

test('every label is bounded: what does not look like a name is counted as other', async () => {
  const metrics = createMetrics({ processMetrics: false });
  for (const endpoint of ['token', 'login', '/token?client_id=app', 'x'.repeat(41), '']) metrics.rateLimited(endpoint);
  expect(await values(metrics, 'portcullis_rate_limited_total')).toEqual([
    { labels: { endpoint: 'token' }, value: 1 },
    { labels: { endpoint: 'login' }, value: 1 },
    { labels: { endpoint: 'other' }, value: 3 },
  ]);
  for (const grantType of ['authorization_code', 'urn:ietf:params:oauth:grant-type:device_code', undefined, 42, 'a b']) metrics.tokenIssued(grantType);
  expect(await values(metrics, 'portcullis_tokens_issued_total')).toEqual([
    { labels: { grant_type: 'authorization_code' }, value: 1 },
    { labels: { grant_type: 'urn:ietf:params:oauth:grant-type:device_code' }, value: 1 },
    { labels: { grant_type: 'other' }, value: 3 },
  ]);
  metrics.httpRequest({ method: 'PROPFIND', route: 'other', status: 405 }, 0.001);
  expect(await values(metrics, 'portcullis_http_requests_total')).toEqual([{ labels: { method: 'OTHER', route: 'other', status: '405' }, value: 1 }]);
  const end = metrics.storeOperation('accounts/../x', 'find');
  end(true);
  expect(await values(metrics, 'portcullis_store_operation_errors_total')).toEqual([{ labels: { port: 'other', operation: 'find' }, value: 1 }]);
});

test('rateLimited can be handed to another module unbound', async () => {
  const metrics = createMetrics({ processMetrics: false });
  const onRefused: (endpoint: string) => void = metrics.rateLimited;
  onRefused('introspection');
  expect(await values(metrics, 'portcullis_rate_limited_total')).toEqual([{ labels: { endpoint: 'introspection' }, value: 1 }]);
});

test('the route label: oidc-provider route name, else the matched template, else other', () => {
  const ctx = (fields: Record<string, unknown>) => fields as unknown as Context;
  expect(routeLabel(ctx({ _matchedRoute: '/token', _matchedRouteName: 'token' }))).toBe('token');
  expect(routeLabel(ctx({ _matchedRoute: '/interaction/:uid/login' }))).toBe('/interaction/:uid/login');
  expect(routeLabel(ctx({}))).toBe('other');
  expect(routeLabel(ctx({ _matchedRoute: /^\/x/ }))).toBe('other');
  expect(routeLabel(ctx({ _matchedRoute: '/a b' }))).toBe('other');
});

test('login outcomes: all three series exist from the start; counted when the throttle settles the attempt', async () => {
  const metrics = createMetrics({ processMetrics: false });
  const outcomes = async () => Object.fromEntries((await values(metrics, 'portcullis_login_attempts_total')).map((v) => [v.labels.outcome, v.value]));
  expect(await outcomes()).toEqual({ success: 0, failure: 0, throttled: 0 });

  const settled: string[] = [];
  let next: Admission = { outcome: 'throttled', reason: 'account_backoff', retryAfterSeconds: 3 };
  const inner: LoginThrottle = { admit: async () => next };
  const throttle = countLoginOutcomes(inner, metrics.loginOutcome);
  expect(await throttle.admit('a@example.com', '127.0.0.1')).toEqual(next);

  next = { outcome: 'admitted', succeeded: async () => void settled.push('succeeded'), failed: async () => void settled.push('failed') };
  const first = await throttle.admit('a@example.com', '127.0.0.1');
  if (first.outcome !== 'admitted') throw new Error('admitted expected');
  await first.failed();
  const second = await throttle.admit('a@example.com', '127.0.0.1');
  if (second.outcome !== 'admitted') throw new Error('admitted expected');
  await second.succeeded();
  // Admitted but never settled (it threw in between): neither outcome.
  await throttle.admit('a@example.com', '127.0.0.1');

  expect(settled).toEqual(['failed', 'succeeded']);
  expect(await outcomes()).toEqual({ success: 1, failure: 1, throttled: 1 } satisfies Record<LoginOutcome, number>);
});

test('a request id: kept when it is a plain id of at most 128 characters, else a fresh UUID', () => {
  for (const id of ['a', 'trace-1.2_3:4', 'A'.repeat(128)]) expect(requestIdFrom(id)).toBe(id);
  for (const id of [undefined, '', 'A'.repeat(129), 'a b', 'a\nb', 'a\u0000b', 'é', 'x,y', '{}']) {
    const fresh = requestIdFrom(id);
    expect(fresh).not.toBe(id);
    expect(fresh).toMatch(/^[0-9a-f-]{36}$/);
  }
});

test('configuration: metrics are off unless METRICS_PORT or METRICS_TOKEN; the token is long; the port is apart from PORT', () => {
  const load = (env: Record<string, string>) => loadConfig({ env: { PORT: '3000', ...env } });
  expect(load({}).metrics).toEqual({ port: undefined, host: '127.0.0.1', token: undefined });
  expect(load({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' }).metrics).toEqual({ port: 9464, host: '0.0.0.0', token: undefined });
  expect(() => load({ METRICS_TOKEN: 'short' })).toThrow(new ConfigError('invalid setting METRICS_TOKEN: must be at least 32 visible ASCII characters (a random string)'));
  expect(() => load({ METRICS_TOKEN: `${'x'.repeat(32)} y` })).toThrow(ConfigError);
  expect(() => load({ METRICS_PORT: '3000' })).toThrow(new ConfigError('METRICS_PORT (3000) must differ from PORT: metrics get a listener of their own'));
  expect(load({ PORT: '0', METRICS_PORT: '0' }).metrics.port).toBe(0);
});
