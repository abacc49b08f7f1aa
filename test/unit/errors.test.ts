import { errors } from 'oidc-provider';
import { AppError, serializeError } from '../../src/http/index.ts';
import { startTestServer } from '../helpers/server.ts';

test('our errors keep their status and code; 5xx descriptions are generic', () => {
  expect(serializeError(new AppError(400, 'invalid_request', 'bad thing', { detail: 'internal' }))).toEqual({
    status: 400,
    body: { error: 'invalid_request', error_description: 'bad thing' },
  });
  const internal = serializeError(new Error('connection string mongodb://user:pw@db failed'));
  expect(internal.status).toBe(500);
  expect(JSON.stringify(internal)).not.toContain('mongodb://');
  expect(serializeError(new AppError(503, 'temporarily_unavailable', 'db down: host x')).body.error_description).not.toContain('host x');
});

test('oidc-provider errors map to their OAuth code', () => {
  expect(serializeError(new errors.InvalidGrant('grant request is invalid'))).toEqual({
    status: 400,
    body: { error: 'invalid_grant', error_description: 'grant request is invalid' },
  });
});

test('health and readiness', async () => {
  const srv = await startTestServer();
  try {
    expect(await (await fetch(`${srv.issuer}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${srv.issuer}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { store: 'ok', keys: 'ok' } });
  } finally {
    await srv.close();
  }
});

test('readiness turns 503 when the store does not answer', async () => {
  const srv = await startTestServer();
  try {
    (srv.store as { ping: () => Promise<void> }).ping = async () => {
      throw new Error('down');
    };
    const res = await fetch(`${srv.issuer}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'unready', checks: { store: 'unreachable' } });
  } finally {
    await srv.close();
  }
});

test('an unknown path is a 404 in the OAuth error shape, or a page for browsers', async () => {
  const srv = await startTestServer();
  try {
    const api = await fetch(`${srv.issuer}/nothing-here`);
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: 'not_found', error_description: expect.any(String) });
    const page = await fetch(`${srv.issuer}/nothing-here`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('<!doctype html>');
  } finally {
    await srv.close();
  }
});

test('pages carry the baseline security headers', async () => {
  const srv = await startTestServer();
  try {
    const res = await fetch(`${srv.issuer}/interaction/x`, { headers: { accept: 'text/html' } });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
  } finally {
    await srv.close();
  }
});
