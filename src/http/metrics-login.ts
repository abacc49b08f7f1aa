/**
 * Sign-in outcomes, counted where they are settled: the login throttle (accounts/throttle.ts) is told
 * of every attempt the login step (interactions/login.ts) decides — refused as throttled before any
 * password check, then `succeeded()` or `failed()`. Counting in a wrapper around it keeps the login
 * step free of metrics, and an attempt that throws before it settles is counted as neither.
 */
import type { LoginThrottle } from '../accounts/index.ts';
import type { LoginOutcome } from './metrics.ts';

export function countLoginOutcomes(throttle: LoginThrottle, count: (outcome: LoginOutcome) => void): LoginThrottle {
  return {
    async admit(email, ip) {
      const admission = await throttle.admit(email, ip);
      if (admission.outcome === 'throttled') {
        count('throttled');
        return admission;
      }
      return {
        ...admission,
        succeeded: async () => {
          await admission.succeeded();
          count('success');
        },
        failed: async () => {
          await admission.failed();
          count('failure');
        },
      };
    },
  };
}
