/**
 * `/healthz`: the process answers. `/readyz`: the store answers and signing keys are loaded. While the
 * database is out of reach /readyz says 503 `unready` (within the store timeout), so a load balancer
 * stops sending traffic, and 200 again by itself once the database is back; /healthz stays 200, so an
 * orchestrator does not restart a process that has nothing wrong with it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import Router from '@koa/router';

export interface Readiness {
  readonly ping: () => Promise<void>;
  readonly keysLoaded: () => boolean;
  /** The longest /readyz waits for the ping (the store bounds its own operations too); default 2500 ms. */
  readonly timeoutMs?: number;
}

/** Rejects when `work` has not settled within `ms`; the timer never keeps the process alive. */
async function within(work: Promise<void>, ms: number): Promise<void> {
  const timer = new AbortController();
  try {
    await Promise.race([
      work,
      sleep(ms, undefined, { signal: timer.signal, ref: false }).then(() => {
        throw new Error(`no answer within ${ms} ms`);
      }),
    ]);
  } finally {
    timer.abort();
  }
}

export function healthRoutes({ ping, keysLoaded, timeoutMs = 2500 }: Readiness): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const checks = { store: 'ok', keys: keysLoaded() ? 'ok' : 'missing' };
    try {
      await within(ping(), timeoutMs);
    } catch {
      checks.store = 'unreachable';
    }
    const ready = checks.store === 'ok' && checks.keys === 'ok';
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'unready', checks };
  });
  return router;
}
