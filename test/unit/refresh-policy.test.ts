/**
 * The refresh token policy in pieces: the settings and their named checks, the per-client metadata
 * validator, the lifetime arithmetic and the run-time rotation rule.
 */
import { loadConfig } from '../../src/config/index.ts';
import { reuseGraceSeconds, rotationRequested, validateRefreshMetadata } from '../../src/oidc/refresh-metadata.ts';
import { mustRotate, refreshTokenLifetime } from '../../src/oidc/refresh-rotation.ts';
import { configRefusal as refusal } from '../helpers/config.ts';
import { startTestServer } from '../helpers/server.ts';

describe('settings', () => {
  test('defaults: 14-day family, 7-day idle expiry, strict reuse detection', () => {
    const config = loadConfig({ env: {} });
    expect(config.ttl).toMatchObject({ refreshToken: 14 * 86_400, refreshTokenIdle: 7 * 86_400 });
    expect(config.refreshTokenReuseGraceSeconds).toBe(0);
  });

  test('an unset idle TTL never exceeds a shorter absolute lifetime', () => {
    expect(loadConfig({ env: { REFRESH_TOKEN_TTL: '86400' } }).ttl.refreshTokenIdle).toBe(86_400);
  });

  test('the idle TTL must not exceed REFRESH_TOKEN_TTL (named check, one line)', () => {
    const text = refusal({ REFRESH_TOKEN_TTL: '3600', REFRESH_TOKEN_IDLE_TTL: '3601' });
    expect(text).toMatch(/REFRESH_TOKEN_IDLE_TTL \(3601\) must not exceed REFRESH_TOKEN_TTL \(3600\)/);
    expect(text.split('\n')).toHaveLength(1);
    expect(loadConfig({ env: { REFRESH_TOKEN_TTL: '3600', REFRESH_TOKEN_IDLE_TTL: '3600' } }).ttl.refreshTokenIdle).toBe(3600);
  });

  test.each(['61', '-1', '1.5', 'soon'])('REFRESH_TOKEN_REUSE_GRACE_SECONDS=%s is refused', (value) => {
    expect(refusal({ REFRESH_TOKEN_REUSE_GRACE_SECONDS: value })).toMatch(/REFRESH_TOKEN_REUSE_GRACE_SECONDS/);
  });

  test.each([['0', 0], ['60', 60]])('REFRESH_TOKEN_REUSE_GRACE_SECONDS=%s is accepted', (value, seconds) => {
    expect(loadConfig({ env: { REFRESH_TOKEN_REUSE_GRACE_SECONDS: value } }).refreshTokenReuseGraceSeconds).toBe(seconds);
  });
});

/** The error_description validateRefreshMetadata refuses with (its message is the OAuth error code). */
function metadataRefusal(key: string, value: unknown, metadata: Record<string, unknown>): string | undefined {
  try {
    validateRefreshMetadata(key, value, metadata);
    return undefined;
  } catch (err) {
    expect((err as { error?: unknown }).error).toBe('invalid_client_metadata');
    return String((err as { error_description?: unknown }).error_description);
  }
}

describe('client metadata', () => {
  const confidential = { token_endpoint_auth_method: 'client_secret_basic' };
  const publicClient = { token_endpoint_auth_method: 'none' };

  test('refresh_token_rotation false: a confidential client may, a public one only with DPoP-bound tokens', () => {
    expect(metadataRefusal('refresh_token_rotation', false, confidential)).toBeUndefined();
    expect(metadataRefusal('refresh_token_rotation', false, publicClient)).toMatch(/OAuth 2.1 §4.3.1/);
    expect(metadataRefusal('refresh_token_rotation', false, { ...publicClient, dpop_bound_access_tokens: true })).toBeUndefined();
    expect(metadataRefusal('refresh_token_rotation', true, publicClient)).toBeUndefined();
    expect(metadataRefusal('refresh_token_rotation', 'no', confidential)).toMatch(/must be a boolean/);
  });

  test.each([61, -1, 1.5, '5'])('refresh_token_reuse_grace_seconds %p is refused', (value) => {
    expect(metadataRefusal('refresh_token_reuse_grace_seconds', value, confidential)).toMatch(/integer from 0 to 60/);
  });

  test('readers: rotation unless false; the client grace, else the deployment one', () => {
    expect(rotationRequested(undefined)).toBe(true);
    expect(rotationRequested({ refresh_token_rotation: false })).toBe(false);
    expect(reuseGraceSeconds({ refresh_token_reuse_grace_seconds: 0 }, 10)).toBe(0);
    expect(reuseGraceSeconds({ refresh_token_reuse_grace_seconds: 20 }, 10)).toBe(20);
    expect(reuseGraceSeconds({}, 10)).toBe(10);
    expect(reuseGraceSeconds(undefined, 10)).toBe(10);
  });

  test('oidc-provider runs the validator: the bootstrap file refuses what it must', async () => {
    const srv = await startTestServer({ bootstrap: false });
    try {
      const spa = { client_id: 'x', redirect_uris: ['https://x.example/cb'], token_endpoint_auth_method: 'none' };
      await expect(srv.app.bootstrap('bad', { clients: [{ ...spa, refresh_token_rotation: false }] })).rejects.toThrow(
        /refresh_token_rotation may be false for a public client only with dpop_bound_access_tokens true/,
      );
      await expect(srv.app.bootstrap('bad', { clients: [{ ...spa, refresh_token_reuse_grace_seconds: 120 }] })).rejects.toThrow(
        /refresh_token_reuse_grace_seconds must be an integer from 0 to 60/,
      );
      await expect(
        srv.app.bootstrap('good', { clients: [{ ...spa, refresh_token_rotation: false, dpop_bound_access_tokens: true, refresh_token_reuse_grace_seconds: 60 }] }),
      ).resolves.not.toThrow();
    } finally {
      await srv.close();
    }
  });
});

describe('lifetimes and rotation', () => {
  test('each token lives min(remaining absolute lifetime, idle TTL), at least a second', () => {
    let now = 1_000_000;
    const lifetime = refreshTokenLifetime({ absolute: 3600, idle: 600 }, () => now);
    expect(lifetime(undefined, {})).toBe(600);
    now += 3200;
    expect(lifetime(undefined, { iiat: 1_000_000 })).toBe(400);
    now += 1000;
    expect(lifetime(undefined, { iiat: 1_000_000 })).toBe(1);
  });

  const client = (authMethod: string, metadata: Record<string, unknown>) => ({ clientAuthMethod: authMethod, metadata: () => metadata });
  const token = (senderConstrained: boolean) => ({ isSenderConstrained: () => senderConstrained });

  test('rotation is on unless the metadata turns it off', () => {
    expect(mustRotate(client('client_secret_basic', {}) as never, token(false))).toBe(true);
    expect(mustRotate(client('client_secret_basic', { refresh_token_rotation: false }) as never, token(false))).toBe(false);
  });

  test('a public client’s token that is not sender-constrained is always rotated, whatever its metadata says', () => {
    const keeper = client('none', { refresh_token_rotation: false });
    expect(mustRotate(keeper as never, token(false))).toBe(true);
    expect(mustRotate(keeper as never, token(true))).toBe(false);
  });
});
