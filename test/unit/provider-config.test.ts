import { buildProviderConfiguration, familyLifetime } from '../../src/oidc/configuration.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createPageRenderer } from '../../src/http/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { TEST_KEYS } from '../helpers/server.ts';

function configured(env: Record<string, string>) {
  return buildProviderConfiguration({
    config: loadConfig({ env }),
    store: createMemoryStore(),
    keys: TEST_KEYS,
    pages: createPageRenderer({ productName: 'Portcullis', cache: false }),
  });
}

test('the grant lives at least as long as the refresh token (oidc-provider defaults Grant to 14 days)', () => {
  const ttl = configured({ REFRESH_TOKEN_TTL: String(30 * 86400) }).ttl ?? {};
  expect(typeof ttl.RefreshToken).toBe('function');
  expect(ttl.Grant).toBeGreaterThanOrEqual(30 * 86400);
});

test('a rotated refresh token keeps the family expiry: rotation never slides the absolute lifetime', () => {
  let now = 1_000_000;
  const lifetime = familyLifetime(3600, () => now);
  expect(lifetime(undefined, {})).toBe(3600);
  now += 1000;
  expect(lifetime(undefined, { iiat: 1_000_000 })).toBe(2600);
  now += 5000;
  expect(lifetime(undefined, { iiat: 1_000_000 })).toBe(1);
});

test('what we stand behind: no dev interactions, PKCE required, code only, rotation on every use', () => {
  const c = configured({});
  expect(c.features?.devInteractions?.enabled).toBe(false);
  expect(c.responseTypes).toEqual(['code']);
  const required = c.pkce?.required as unknown as () => boolean;
  expect(required()).toBe(true);
  // Per client since issue 5 (refresh-rotation.ts; test/unit/refresh-policy.test.ts): on unless metadata turns it off.
  expect(typeof c.rotateRefreshToken).toBe('function');
  expect(c.features?.resourceIndicators?.enabled).toBe(true);
});
