/**
 * Every hosted page rendered through the real renderer with sample data: all text comes from the
 * catalog (no raw key, no "undefined"), nothing inline that the CSP would block, errors tied to their
 * fields, the form contracts of DESIGN.md, and the account page's data contract.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseForms } from '../helpers/browser.ts';
import { createPageRenderer, type PageName } from '../../src/http/render.ts';
import { VIEWS_DIR } from '../../src/http/render.ts';
import { messages } from '../../src/i18n/index.ts';

const pages = createPageRenderer({ productName: 'Portcullis', cache: false });
const CSRF = 'csrf-token-value';

const SESSIONS = [
  { uid: 'current-uid', browser: 'Firefox 131', os: 'Ubuntu', ip: '203.0.113.7', signedInAt: '2025-03-04T09:05:00.000Z', lastActiveAt: '2025-03-05T17:45:00.000Z', current: true },
  { uid: 'other/uid?&', browser: 'Safari 18', os: 'iOS 18', ip: '198.51.100.2', signedInAt: '2025-02-01T08:00:00.000Z', lastActiveAt: '2025-02-02T12:30:00.000Z', current: false },
];
const APPS = [{ clientId: 'app id/1', name: 'Example App', scopes: ['See your name', 'Read your data (api:read)'], since: '2025-01-15T10:00:00.000Z' }];
const LOGOUT_FORM = '<form id="op.logoutForm" method="post" action="/session/end/confirm"><input type="hidden" name="xsrf" value="x"/></form>';

/** Sample data for every page, in each of its states. */
const SAMPLES: Array<[string, PageName, Record<string, unknown>]> = [
  ['login', 'login', { clientName: 'Example App', action: '/interaction/u/login', abortAction: '/interaction/u/abort', email: '', csrf: CSRF }],
  ['login with an error', 'login', { clientName: 'Example App', action: '/interaction/u/login', abortAction: '/interaction/u/abort', email: 'ada@example.com', error: 'Email or password is incorrect.', csrf: CSRF }],
  ['consent', 'consent', { clientName: 'Example App', email: 'ada@example.com', scopes: ['See your name'], resources: [{ name: 'Example API', scopes: ['Read your data (api:read)'] }], action: '/interaction/u/consent', csrf: CSRF }],
  ['consent without scopes', 'consent', { clientName: 'Example App', email: 'ada@example.com', scopes: [], resources: [], action: '/interaction/u/consent', csrf: CSRF }],
  ['logout', 'logout', { form: LOGOUT_FORM, clientName: 'Example App' }],
  ['logout without a client', 'logout', { form: LOGOUT_FORM }],
  ['logged out', 'logged-out', { clientName: 'Example App' }],
  ['logged out without a client', 'logged-out', {}],
  ['error', 'error', { heading: 'This request cannot be completed', message: 'redirect_uri did not match', code: 'invalid_redirect_uri' }],
  ['error with a way back', 'error', { message: 'This sign-in page has expired.', code: 'session_not_found', backUrl: 'https://app.example', backLabel: 'Example App' }],
  ['error with nothing', 'error', {}],
  ['account', 'account', { email: 'ada@example.com', name: 'Ada Lovelace', csrf: CSRF, sessions: SESSIONS, apps: APPS }],
  ['account with messages', 'account', { email: 'ada@example.com', csrf: CSRF, notice: 'Signed out of 1 session.', error: 'Something failed.', passwordError: 'The current password is not correct.', sessions: [SESSIONS[0]], apps: [] }],
];

/** The catalog keys the templates name, found by reading them. */
function keysUsedByTemplates(): string[] {
  const files = readdirSync(VIEWS_DIR, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.eta'));
  const keys = new Set<string>();
  for (const file of files) {
    const source = readFileSync(join(VIEWS_DIR, file), 'utf8');
    for (const m of source.matchAll(/\bit\.(?:t|tHtml)\('([^']+)'/g)) keys.add(m[1] ?? '');
  }
  return [...keys];
}

const ids = (html: string) => new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
const tags = (html: string, name: string) => [...html.matchAll(new RegExp(`<${name}\\b[^>]*>`, 'gi'))].map((m) => m[0]);
const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

describe.each(SAMPLES)('%s', (_name, page, data) => {
  const html = pages.render(page, data);
  const text = html.replace(/<[^>]+>/g, ' ');

  test('every word comes from the catalog: no raw key, no undefined', () => {
    expect(html).not.toMatch(/undefined|null|NaN|\[object Object\]/);
    for (const key of Object.keys(messages)) expect(text).not.toContain(key);
    expect(text).not.toMatch(/\{\w+\}/);
  });

  test('nothing the Content-Security-Policy would block: no script, no inline style or handler', () => {
    expect(html).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=|javascript:/i);
    expect(html).toContain('<link rel="stylesheet" href="/static/style.css">');
    expect(html).toContain('<link rel="stylesheet" href="/static/theme.css">');
  });

  test('a language, a title with the product name, one h1', () => {
    expect(html).toMatch(/<html lang="en">/);
    expect(html).toMatch(/<title>[^<]+ · Portcullis<\/title>/);
    expect(tags(html, 'h1')).toHaveLength(1);
  });

  test('every aria-describedby and label points to an element that exists; ids are unique', () => {
    const all = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(all).size).toBe(all.length);
    const known = ids(html);
    for (const tag of tags(html, '[a-z]+').filter((t) => t.includes('aria-describedby='))) {
      for (const id of (attr(tag, 'aria-describedby') ?? '').split(/\s+/)) expect(known).toContain(id);
    }
    for (const label of tags(html, 'label')) expect(known).toContain(attr(label, 'for'));
  });

  test('every visible input has a label', () => {
    const labelled = new Set(tags(html, 'label').map((l) => attr(l, 'for')));
    const visible = tags(html, 'input').filter((i) => attr(i, 'type') !== 'hidden' && !/\shidden[\s>]/.test(i));
    for (const input of visible) expect(labelled).toContain(attr(input, 'id'));
  });

  test('every form carries the csrf token it was given', () => {
    const forms = parseForms(html).filter((f) => (f as { id?: string }).id !== 'op.logoutForm');
    if (data.csrf) for (const form of forms) expect(form.fields.csrf).toBe(CSRF);
    else expect(html).not.toContain('name="csrf"');
    for (const form of forms) expect(form.method).toBe('post');
  });
});

test('every catalog key a template names exists', () => {
  const used = keysUsedByTemplates();
  expect(used.length).toBeGreaterThan(40);
  expect(used.filter((k) => !(k in messages))).toEqual([]);
});

/** Keys that TypeScript modules pass to `t()` (type-checked there; listed here to find dead entries). */
function keysUsedBySource(): string[] {
  const root = new URL('../../src', import.meta.url).pathname;
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  return files.flatMap((file) => [...readFileSync(join(root, file), 'utf8').matchAll(/\bt(?:Html)?\('([a-zA-Z]+\.[\w.]+)'/g)].map((m) => m[1] ?? ''));
}

test('every catalog entry is used by a template or a module', () => {
  const used = new Set([...keysUsedByTemplates(), ...keysUsedBySource()]);
  expect(Object.keys(messages).filter((k) => !used.has(k))).toEqual([]);
});

describe('login', () => {
  const render = (extra: Record<string, unknown> = {}) =>
    pages.render('login', { clientName: 'Example App', action: '/interaction/u/login?client_id=app', abortAction: '/interaction/u/abort?client_id=app', csrf: CSRF, ...extra });

  test('keeps the DESIGN.md form contract', () => {
    const html = render();
    expect(html).toContain('<input name="email" type="email" autocomplete="username"');
    expect(html).toContain('<input name="password" type="password" autocomplete="current-password"');
    const [login, cancel] = parseForms(html);
    expect(login).toMatchObject({ method: 'post', action: '/interaction/u/login?client_id=app', fields: { csrf: CSRF, email: '', password: '' } });
    expect(cancel).toMatchObject({ method: 'post', action: '/interaction/u/abort?client_id=app', fields: { csrf: CSRF } });
    expect(html).toContain('<strong>Example App</strong>');
  });

  test('without an error no field is marked invalid and no alert is shown', () => {
    const html = render();
    expect(html).not.toContain('aria-invalid');
    expect(html).not.toContain('role="alert"');
    expect(html).toMatch(/id="email"[^>]* autofocus/);
  });

  test('an error is announced and tied to both fields, and focus starts at the password', () => {
    const html = render({ email: 'ada@example.com', error: 'Email or password is incorrect.' });
    expect(html).toMatch(/<div class="alert" role="alert" id="login-error">Email or password is incorrect.<\/div>/);
    for (const input of tags(html, 'input').filter((i) => attr(i, 'type') !== 'hidden')) {
      expect(attr(input, 'aria-describedby')).toBe('login-error');
      expect(attr(input, 'aria-invalid')).toBe('true');
    }
    expect(html).toMatch(/id="password"[^>]* autofocus/);
    expect(parseForms(html)[0]?.fields.email).toBe('ada@example.com');
  });

  test('what a person typed is escaped', () => {
    const html = render({ email: '"><script>alert(1)</script>' });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&quot;&gt;&lt;script&gt;');
  });
});

describe('consent', () => {
  const html = pages.render('consent', {
    clientName: 'Example <App>',
    email: 'ada@example.com',
    scopes: ['See your name', 'See your email address'],
    resources: [{ name: 'Example API', scopes: ['Read your data (api:read)'] }],
    action: '/interaction/u/consent',
    csrf: CSRF,
  });

  test('the first submit button approves, the second denies', () => {
    const [form] = parseForms(html);
    expect(form?.buttons.map((b) => [b.name, b.value, b.label])).toEqual([
      ['decision', 'allow', 'Allow'],
      ['decision', 'deny', 'Deny'],
    ]);
    expect(form?.fields.csrf).toBe(CSRF);
  });

  test('names the app, the person, each scope and the API (escaped)', () => {
    expect(html).toContain('Example &lt;App&gt; wants to access your account');
    expect(html).toContain('<strong>ada@example.com</strong>');
    expect(html).toContain('<li>See your email address</li>');
    expect(html).toContain('On <strong>Example API</strong>, it will be able to:');
    expect(html).toContain('<li>Read your data (api:read)</li>');
  });
});

describe('logout', () => {
  test("keeps oidc-provider's form; Sign out is the first button and says logout=yes", () => {
    const html = pages.render('logout', { form: LOGOUT_FORM, clientName: 'Example App' });
    expect(html).toContain('Sign out?');
    expect(html).toContain(LOGOUT_FORM);
    const [form] = parseForms(html);
    expect((form as { id?: string } | undefined)?.id).toBe('op.logoutForm');
    expect(form?.buttons).toEqual([
      { name: 'logout', value: 'yes', label: 'Sign out' },
      { name: undefined, value: undefined, label: 'Stay signed in' },
    ]);
  });

  test('a csrf value joins the logout form through the form attribute', () => {
    const html = pages.render('logout', { form: LOGOUT_FORM, csrf: CSRF });
    expect(html).toContain(`<input type="hidden" name="csrf" value="${CSRF}" form="op.logoutForm">`);
  });
});

describe('error', () => {
  test('links back to the app and shows the code', () => {
    const html = pages.render('error', { message: 'This sign-in page has expired.', code: 'session_not_found', backUrl: 'https://app.example', backLabel: 'Example App' });
    expect(html).toContain('href="https://app.example"');
    expect(html).toContain('Back to Example App');
    expect(html).toContain('Error code: <code>session_not_found</code>');
    expect(html).toContain('role="alert"');
  });
});

describe('account', () => {
  const html = pages.render('account', { email: 'ada@example.com', name: 'Ada Lovelace', csrf: CSRF, sessions: SESSIONS, apps: APPS });
  const forms = parseForms(html);
  const byAction = (action: string) => forms.find((f) => f.action === action);

  test('every form posts with the csrf field', () => {
    expect(forms.length).toBe(5);
    for (const form of forms) expect(form).toMatchObject({ method: 'post', fields: { csrf: CSRF } });
  });

  test('the current session is marked "This device" and has no sign-out of its own', () => {
    expect(html.match(/This device/g)).toHaveLength(1);
    expect(html).toMatch(/Firefox 131 on Ubuntu <span class="badge">This device<\/span>/);
    expect(forms.some((f) => f.action.includes('current-uid'))).toBe(false);
  });

  test('another session has a Sign out form with its uid URL-encoded', () => {
    const form = byAction(`/account/sessions/${encodeURIComponent('other/uid?&')}/end`);
    expect(form?.buttons.map((b) => b.label)).toEqual(['Sign out']);
    expect(html).toContain('action="/account/sessions/other%2Fuid%3F%26/end"');
  });

  test('"sign out of all other devices" shows with more than one session, and not with one', () => {
    expect(byAction('/account/sessions/end-others')).toBeDefined();
    const single = pages.render('account', { email: 'ada@example.com', csrf: CSRF, sessions: [SESSIONS[0]], apps: [] });
    expect(parseForms(single).find((f) => f.action === '/account/sessions/end-others')).toBeUndefined();
  });

  test('each app has a Revoke access form with its client id URL-encoded, its scopes and since when', () => {
    const form = byAction(`/account/apps/${encodeURIComponent('app id/1')}/revoke`);
    expect(form?.buttons.map((b) => b.label)).toEqual(['Revoke access']);
    expect(html).toContain('<li>Read your data (api:read)</li>');
    expect(html).toContain('<time datetime="2025-01-15T10:00:00.000Z">Jan 15, 2025, 10:00 UTC</time>');
  });

  test('dates are <time datetime> with readable UTC text', () => {
    expect(html).toContain('<time datetime="2025-03-04T09:05:00.000Z">Mar 4, 2025, 09:05 UTC</time>');
    expect(html).toContain('<time datetime="2025-03-05T17:45:00.000Z">Mar 5, 2025, 17:45 UTC</time>');
  });

  test('change password: the two fields with their autocomplete, the hint tied to the new one', () => {
    const form = byAction('/account/password');
    expect(form?.fields).toEqual({ csrf: CSRF, current_password: '', new_password: '' });
    expect(html).toContain('<input name="current_password" type="password" autocomplete="current-password"');
    expect(html).toContain('<input name="new_password" type="password" autocomplete="new-password"');
    expect(html).toMatch(/id="new_password"[^>]*aria-describedby="new-password-hint"/);
    expect(html).toMatch(/id="new-password-hint">At least 8 characters; 15 or more is better\. Any characters/);
    expect(html).not.toContain('aria-invalid');
  });

  test('sign out everywhere', () => {
    expect(byAction('/account/logout')?.buttons.map((b) => b.label)).toEqual(['Sign out everywhere']);
  });

  test('shows the name and email', () => {
    expect(html).toContain('Signed in as <strong>Ada Lovelace</strong> (<strong>ada@example.com</strong>)');
  });

  test('a password error is announced and tied to both password fields', () => {
    const failed = pages.render('account', { email: 'ada@example.com', csrf: CSRF, passwordError: 'The new password is too short.', sessions: [SESSIONS[0]], apps: [] });
    expect(failed).toMatch(/<div class="alert" role="alert" id="password-error">The new password is too short.<\/div>/);
    expect(failed).toMatch(/id="current_password"[^>]*aria-describedby="password-error" aria-invalid="true"/);
    expect(failed).toMatch(/id="new_password"[^>]*aria-describedby="password-error new-password-hint" aria-invalid="true"/);
  });

  test('a notice is a status message, a page error an alert, and no apps says so', () => {
    const page = pages.render('account', { email: 'ada@example.com', csrf: CSRF, notice: 'Signed out of 1 session.', error: 'That did not work.', sessions: [SESSIONS[0]], apps: [] });
    expect(page).toContain('<div class="notice" role="status">Signed out of 1 session.</div>');
    expect(page).toContain('<div class="alert" role="alert" id="account-error">That did not work.</div>');
    expect(page).toContain('No app has access to your account.');
    expect(page).toContain('1 active session<');
  });
});

test('handler data cannot replace the product name or the catalog', () => {
  const html = pages.render('logged-out', { productName: 'Evil', t: () => 'hacked' });
  expect(html).toContain('Portcullis');
  expect(html).not.toContain('Evil');
  expect(html).not.toContain('hacked');
});

test('PRODUCT_NAME and LOGO_URL reach the header and the title', () => {
  const branded = createPageRenderer({ productName: 'Acme ID', logoUrl: 'https://cdn.acme.example/logo.svg', cache: true });
  const html = branded.render('logged-out', {});
  expect(html).toContain('<img class="logo" src="https://cdn.acme.example/logo.svg" alt="Acme ID">');
  expect(html).toContain('<title>Signed out · Acme ID</title>');
  const plain = createPageRenderer({ productName: 'Acme ID', cache: true }).render('logged-out', {});
  expect(plain).not.toContain('<img');
  expect(plain).toContain('<span class="product">Acme ID</span>');
});
