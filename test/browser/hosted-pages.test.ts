/**
 * The hosted pages in a real browser (headless Chromium): the code flow through the pages, a wrong
 * password, throttling, consent denied, a keyboard-only login, the account page with two sessions and
 * one ended, an accessibility check (axe-core, WCAG 2.1 A/AA) of every page, a 320 px layout check,
 * and a screenshot of each page in test-artifacts/screenshots/ for reviewers.
 */
import * as oidc from 'openid-client';
import type { Browser, Page } from 'playwright-core';
import { discoverApp } from '../helpers/flow.ts';
import { startTestServer, USER, type TestServer } from '../helpers/server.ts';
import { launchChromium, newContext, screenshot, seriousViolations, startAppServer } from './chromium.ts';

let srv: TestServer;
let chromium: Browser;
let app: oidc.Configuration;
let appServer: Awaited<ReturnType<typeof startAppServer>>;
let redirectUri: string;

beforeAll(async () => {
  srv = await startTestServer();
  appServer = await startAppServer();
  redirectUri = `${appServer.origin}/cb`;
  await srv.app.bootstrap('browser tests', {
    clients: [
      {
        client_id: 'browser-app',
        client_name: 'Example App',
        client_uri: appServer.origin,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
        scope: 'openid profile email',
      },
    ],
  });
  app = await discoverApp(srv.issuer, 'browser-app', null);
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
  await appServer?.close();
  await srv?.close();
});

const atApp = (url: URL) => url.href.startsWith(`${redirectUri}?`);

async function authorizationUrl(params: Record<string, string> = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(app, {
    redirect_uri: redirectUri,
    scope: 'openid profile email',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: oidc.randomState(),
    ...params,
  });
  return { url: url.href, verifier };
}

const loginForm = (page: Page) => page.locator('form:has(input[name="password"])');

async function fillLogin(page: Page, email: string, password: string) {
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await loginForm(page).locator('button[type="submit"]').first().click();
}

async function expectAccessible(page: Page, name: string) {
  await screenshot(page, name);
  expect({ page: name, violations: await seriousViolations(page) }).toEqual({ page: name, violations: [] });
}

test('the code flow through the login and consent pages, each page accessible', async () => {
  const context = await newContext(chromium);
  const page = await context.newPage();
  const { url, verifier } = await authorizationUrl();
  await page.goto(url);
  await expect(page.locator('input[name="email"]').getAttribute('autocomplete')).resolves.toBe('username');
  await expectAccessible(page, 'login');

  await fillLogin(page, USER.email, USER.password);
  await page.waitForSelector('button[name="decision"]');
  expect(await page.content()).toContain('Example App');
  await expectAccessible(page, 'consent');

  await page.locator('form button[type="submit"]').first().click();
  await page.waitForURL((url) => atApp(url) && url.searchParams.has('code'));
  const callback = new URL(page.url());
  const tokens = await oidc.authorizationCodeGrant(app, callback, { pkceCodeVerifier: verifier, expectedState: callback.searchParams.get('state') ?? '' });
  expect(tokens.claims()?.iss).toBe(srv.issuer);
  await context.close();
});

test('a wrong password shows the generic message, tied to the fields and announced', async () => {
  const context = await newContext(chromium);
  const page = await context.newPage();
  await page.goto((await authorizationUrl()).url);
  await fillLogin(page, USER.email, 'not the password');
  const alert = page.locator('[role="alert"], [aria-live]').filter({ hasText: 'Email or password is incorrect.' });
  await expect(alert.count()).resolves.toBeGreaterThan(0);
  const password = page.locator('input[name="password"]');
  expect(await password.getAttribute('aria-invalid')).toBe('true');
  const describedBy = (await password.getAttribute('aria-describedby')) ?? '';
  expect(describedBy).not.toBe('');
  const described = await page.locator(describedBy.split(' ').map((id) => `#${id}`).join(', ')).allTextContents();
  expect(described.join(' ')).toContain('Email or password is incorrect.');
  await expectAccessible(page, 'login-error');
  await context.close();
});

test('repeated failures are throttled, with the time to wait', async () => {
  const context = await newContext(chromium);
  const page = await context.newPage();
  await page.goto((await authorizationUrl()).url);
  let throttled = false;
  for (let attempt = 0; attempt < 12 && !throttled; attempt += 1) {
    await fillLogin(page, 'someone-else@example.com', `wrong password ${attempt}`);
    throttled = (await page.content()).includes('Too many attempts');
  }
  expect(throttled).toBe(true);
  expect(await page.content()).toMatch(/Try again in \d+ seconds?/);
  await expectAccessible(page, 'login-throttled');
  await context.close();
});

test('denying consent returns access_denied to the app', async () => {
  const context = await newContext(chromium);
  const page = await context.newPage();
  await page.goto((await authorizationUrl({ scope: 'openid email' })).url);
  await fillLogin(page, USER.email, USER.password);
  await page.locator('button[name="decision"][value="deny"]').click();
  await page.waitForURL(atApp);
  expect(new URL(page.url()).searchParams.get('error')).toBe('access_denied');
  await context.close();
});

test('keyboard only: Tab to the fields, type, Enter — no mouse', async () => {
  const context = await newContext(chromium);
  const page = await context.newPage();
  await page.goto((await authorizationUrl({ scope: 'openid' })).url);
  const focusedName = () => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name ?? '');
  // From the top of the page, the email field comes first among the form fields.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  for (let i = 0; i < 5 && (await focusedName()) !== 'email'; i += 1) await page.keyboard.press('Tab');
  expect(await focusedName()).toBe('email');
  await page.keyboard.type(USER.email);
  await page.keyboard.press('Tab');
  expect(await focusedName()).toBe('password');
  await page.keyboard.type(USER.password);
  await page.keyboard.press('Enter');
  await page.waitForSelector('button[name="decision"]');
  // The approve button is reachable and pressable from the keyboard too.
  for (let i = 0; i < 10 && (await focusedName()) !== 'decision'; i += 1) await page.keyboard.press('Tab');
  expect(await page.evaluate(() => (document.activeElement as HTMLButtonElement).value)).toBe('allow');
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => atApp(url) && url.searchParams.has('code'));
  await context.close();
});

test('the account page lists two sessions and ends the other one', async () => {
  const first = await newContext(chromium, { userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' });
  const second = await newContext(chromium);
  const one = await first.newPage();
  const two = await second.newPage();
  for (const page of [one, two]) {
    await page.goto(`${srv.issuer}/account`);
    await fillLogin(page, USER.email, USER.password);
    await page.waitForURL(`${srv.issuer}/account`);
  }
  await one.reload();
  expect(await one.content()).toContain('This device');
  expect(await one.content()).toContain('Firefox');
  const endForms = one.locator('form[action$="/end"]:not([action$="end-others"])');
  expect(await endForms.count()).toBeGreaterThanOrEqual(1);
  await expectAccessible(one, 'account');

  await endForms.first().locator('button[type="submit"]').click();
  await one.waitForURL(/\/account\?notice=session-ended/);
  await two.goto(`${srv.issuer}/account`);
  expect(await two.locator('input[name="password"]').count()).toBe(1);
  await first.close();
  await second.close();
});

test('logout confirmation, signed-out and error pages are accessible', async () => {
  const context = await newContext(chromium);
  const page = await context.newPage();
  await page.goto(`${srv.issuer}/account`);
  await fillLogin(page, USER.email, USER.password);
  await page.waitForURL(`${srv.issuer}/account`);

  await page.goto(`${srv.issuer}/session/end`);
  await expectAccessible(page, 'logout');
  await page.locator('button[name="logout"]').click();
  await page.waitForLoadState();
  await expectAccessible(page, 'logged-out');

  await page.goto(`${srv.issuer}/interaction/expired-uid?client_id=browser-app`);
  expect(await page.content()).toContain('Back to Example App');
  await expectAccessible(page, 'error-expired');
  await context.close();
});

test('usable at 320 px wide: no horizontal scrolling on the login and consent pages', async () => {
  const context = await newContext(chromium, { width: 320 });
  const page = await context.newPage();
  await page.goto((await authorizationUrl()).url);
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(await overflow()).toBeLessThanOrEqual(0);
  await screenshot(page, 'login-320px');
  await fillLogin(page, USER.email, USER.password);
  await page.waitForSelector('button[name="decision"]');
  expect(await overflow()).toBeLessThanOrEqual(0);
  await screenshot(page, 'consent-320px');
  await context.close();
});
