/** `/healthz`: the process answers. `/readyz`: the store answers and signing keys are loaded. */
import Router from '@koa/router';

export interface Readiness {
  readonly ping: () => Promise<void>;
  readonly keysLoaded: () => boolean;
}

export function healthRoutes({ ping, keysLoaded }: Readiness): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const checks = { store: 'ok', keys: keysLoaded() ? 'ok' : 'missing' };
    try {
      await ping();
    } catch {
      checks.store = 'unreachable';
    }
    const ready = checks.store === 'ok' && checks.keys === 'ok';
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'unready', checks };
  });
  return router;
}
