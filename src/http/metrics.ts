/**
 * Prometheus metrics (prom-client), on a Registry of their own made in the composition root — never
 * prom-client's global default registry, so two apps in one process (the tests) never share a series.
 *
 * Every label value is bounded: a route is a matched route's template or oidc-provider's route name
 * (http/metrics-http.ts), never a raw path; a grant type, port, operation or endpoint that does not
 * look like a name becomes `other`. An unbounded label would grow the registry with every new value.
 */
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export type LoginOutcome = 'success' | 'failure' | 'throttled';
const LOGIN_OUTCOMES: readonly LoginOutcome[] = ['success', 'failure', 'throttled'];

export interface HttpRequestLabels {
  readonly method: string;
  readonly route: string;
  readonly status: number;
}

/** Ends the timing of one store operation; `failed` also counts it as an error. */
export type EndStoreOperation = (failed: boolean) => void;

export interface Metrics {
  readonly registry: Registry;
  /** One handled HTTP request (http/metrics-http.ts). */
  httpRequest(labels: HttpRequestLabels, seconds: number): void;
  /** The token endpoint issued tokens (oidc-provider's `grant.success`, http/metrics-provider.ts). */
  tokenIssued(grantType: unknown): void;
  /** A sign-in attempt settled (http/metrics-login.ts). */
  loginOutcome(outcome: LoginOutcome): void;
  /**
   * A request refused by rate limiting; `endpoint` is a fixed name such as `token` or `login` (letters,
   * digits, `_` and `.`, at most 40), never a path. Safe to pass around unbound.
   */
  rateLimited(endpoint: string): void;
  /** Starts timing one call to a store port (store/instrumented.ts). */
  storeOperation(port: string, operation: string): EndStoreOperation;
}

export interface MetricsOptions {
  /** Also collect prom-client's process metrics (CPU, memory, event loop lag, GC): only when /metrics is served. */
  readonly processMetrics: boolean;
}

const NAME = /^[A-Za-z][A-Za-z0-9_.]{0,39}$/;
/** Grant types are names or URNs (`urn:ietf:params:oauth:grant-type:device_code`). */
const GRANT_TYPE = /^[A-Za-z0-9_.:~-]{1,100}$/;
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

const bounded = (value: unknown, pattern: RegExp): string => (typeof value === 'string' && pattern.test(value) ? value : 'other');

/** Seconds: a redirect or a JWKS answer takes milliseconds, a sign-in (argon2id) tens to hundreds. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds: one memory-store call takes microseconds, one MongoDB round trip a millisecond or more. */
const STORE_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5];

export function createMetrics({ processMetrics }: MetricsOptions): Metrics {
  const registry = new Registry();
  const registers = [registry];
  if (processMetrics) collectDefaultMetrics({ register: registry });

  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name, help, labelNames, registers });
  const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) =>
    new Histogram<L>({ name, help, labelNames, buckets, registers });

  const http = ['method', 'route', 'status'] as const;
  const requests = counter('portcullis_http_requests_total', 'HTTP requests handled, by method, route (template or oidc-provider route name) and status.', http);
  const requestSeconds = histogram('portcullis_http_request_duration_seconds', 'Time to handle an HTTP request, by method, route and status.', http, HTTP_BUCKETS);
  const tokens = counter('portcullis_tokens_issued_total', 'Token endpoint successes, by grant type.', ['grant_type']);
  const logins = counter(
    'portcullis_login_attempts_total',
    'Sign-in attempts on the login page, by outcome: success, failure (wrong credentials), throttled.',
    ['outcome'],
  );
  const rateLimited = counter('portcullis_rate_limited_total', 'Requests refused by rate limiting, by endpoint.', ['endpoint']);
  const store = ['port', 'operation'] as const;
  const storeSeconds = histogram(
    'portcullis_store_operation_duration_seconds',
    'Time of one store call, by port (models.<Model> for oidc-provider models) and operation.',
    store,
    STORE_BUCKETS,
  );
  const storeErrors = counter('portcullis_store_operation_errors_total', 'Store calls that threw or rejected, by port and operation.', store);
  // Every outcome is a series from the start, so a rate over it is 0 rather than missing.
  for (const outcome of LOGIN_OUTCOMES) logins.inc({ outcome }, 0);

  return {
    registry,
    httpRequest: ({ method, route, status }, seconds) => {
      const labels = { method: METHODS.has(method) ? method : 'OTHER', route, status: String(status) };
      requests.inc(labels);
      requestSeconds.observe(labels, seconds);
    },
    tokenIssued: (grantType) => tokens.inc({ grant_type: bounded(grantType, GRANT_TYPE) }),
    loginOutcome: (outcome) => logins.inc({ outcome }),
    rateLimited: (endpoint) => rateLimited.inc({ endpoint: bounded(endpoint, NAME) }),
    storeOperation: (port, operation) => {
      const labels = { port: bounded(port, NAME), operation: bounded(operation, NAME) };
      const end = storeSeconds.startTimer(labels);
      return (failed) => {
        end();
        if (failed) storeErrors.inc(labels);
      };
    },
  };
}
