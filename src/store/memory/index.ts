// store/memory/: the in-memory backend — dev mode's default and the fast backend for unit tests.
import type { Clock, Store } from '../ports.ts';
import { MemoryAccountStore } from './accounts.ts';
import { MemoryClientStore, MemoryResourceServerStore } from './clients.ts';
import { MemoryDeviceSessionStore } from './device-sessions.ts';
import { MemoryLoginAttemptStore } from './login-attempts.ts';
import { MemoryModelStores } from './models.ts';
import { MemoryRateLimitStore } from './rate-limits.ts';
import { MemorySecurityEventStore } from './security-events.ts';

export function createMemoryStore(clock: Clock = Date.now): Store {
  return {
    kind: 'memory',
    models: new MemoryModelStores(clock),
    accounts: new MemoryAccountStore(clock),
    clients: new MemoryClientStore(),
    resourceServers: new MemoryResourceServerStore(),
    deviceSessions: new MemoryDeviceSessionStore(clock),
    loginAttempts: new MemoryLoginAttemptStore(),
    securityEvents: new MemorySecurityEventStore(clock),
    rateLimits: new MemoryRateLimitStore(),
    ping: async () => {},
    close: async () => {},
  };
}
