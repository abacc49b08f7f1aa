/**
 * The real app's headers on its pages and on oidc-provider's own responses: a strict CSP with no
 * inline script or style and no form-action, never framed, no sniffing, no referrer; HSTS only in
 * production. And the branding settings reaching the pages: theme.css, the logo and its origin.
 */
import { createHash } from 'node:crypto';
import { Browser } from '../helpers/browser.ts';
import { answerConsent, authorizationRequest, discoverApp, signIn } from '../helpers/flow.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

function directives(csp: string | null): Map<string, string[]> {
  return new Map((csp ?? '').split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name ?? '', values]));
}

function expectBaseline(headers: Headers) {
  const csp = directives(headers.get('content-security-policy'));
  expect(csp.get('default-src')).toEqual(["'none'"]);
  expect(csp.get('script-src')?.[0]).toBe("'self'");
  expect(csp.get('style-src')).toEqual(["'self'"]);
  expect(csp.get('img-src')?.[0]).toBe("'self'");
  expect(csp.get('base-uri')).toEqual(["'none'"]);
  expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  // form-action would also apply to the redirect after the consent POST, which ends at the client.
  expect(csp.has('form-action')).toBe(false);
  expect(headers.get('content-security-policy')).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  expect(headers.get('x-content-type-options')).toBe('nosniff');
  expect(headers.get('referrer-policy')).toBe('no-referrer');
  expect(headers.get('x-frame-options')).toBe('DENY');
}

describe('development mode, default branding', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer();
  });
  afterAll(() => srv.close());

  async function loginPage() {
    const browser = new Browser(srv.issuer);
    const request = await authorizationRequest(await discoverApp(srv.issuer));
    return browser.navigate(request.url.href);
  }

  test('the login page has every header and no HSTS', async () => {
    const page = await loginPage();
    expect(page.status).toBe(200);
    expect(page.html).toContain('name="password"');
    expectBaseline(page.headers);
    expect(page.headers.get('strict-transport-security')).toBeNull();
    expect(directives(page.headers.get('content-security-policy')).get('img-src')).toEqual(["'self'"]);
  });

  test.each([
    ['an error page we render', '/interaction/no-such-uid', 'text/html'],
    ["oidc-provider's error page", '/auth?client_id=nobody', 'text/html'],
    ['a 404', '/nothing-here', 'text/html'],
    ['discovery (JSON)', '/.well-known/openid-configuration', 'application/json'],
    ['the JWKS (JSON)', '/jwks', 'application/json'],
    ['the stylesheet', '/static/style.css', 'text/css'],
  ])('%s has the same headers', async (_what, path, accept) => {
    const res = await fetch(`${srv.issuer}${path}`, { headers: { accept }, redirect: 'manual' });
    expectBaseline(res.headers);
  });

  test('theme.css carries the default brand colour', async () => {
    const res = await fetch(`${srv.issuer}/static/theme.css`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await res.text()).toMatch(/--pc-brand: #1f5fbf;/);
  });

  test("form_post still works: oidc-provider adds its script's hash to our script-src", async () => {
    const browser = new Browser(srv.issuer);
    const request = await authorizationRequest(await discoverApp(srv.issuer), { response_mode: 'form_post' });
    const consent = await signIn(browser, await browser.navigate(request.url.href));
    const post = await answerConsent(browser, consent);
    expect(post.html).toContain('action="https://app.example/cb"');
    const script = /<script>([\s\S]*?)<\/script>/.exec(post.html)?.[1] ?? '';
    const hash = `'sha256-${createHash('sha256').update(script).digest('base64')}'`;
    const csp = directives(post.headers.get('content-security-policy'));
    expect(csp.get('script-src')).toEqual(["'self'", hash]);
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.has('form-action')).toBe(false);
  });

  test('the pages link the stylesheets they are allowed to load', async () => {
    const page = await loginPage();
    expect(page.html).toContain('href="/static/style.css"');
    expect(page.html).toContain('href="/static/theme.css"');
    expect(page.html).toContain('<span class="product">Portcullis</span>');
  });
});

describe('production mode with branding', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({
      env: {
        NODE_ENV: 'production',
        MONGODB_URI: 'mongodb://unused.invalid/portcullis', // the test store is passed in; this only satisfies the check
        PRODUCT_NAME: 'Acme ID',
        LOGO_URL: 'https://cdn.acme.example/brand/logo.svg',
        BRAND_COLOR: '#0B6E4F',
      },
    });
  });
  afterAll(() => srv.close());

  test('HSTS is on, and img-src names the logo origin only', async () => {
    const res = await fetch(`${srv.issuer}/interaction/x`, { headers: { accept: 'text/html' } });
    expectBaseline(res.headers);
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(directives(res.headers.get('content-security-policy')).get('img-src')).toEqual(["'self'", 'https://cdn.acme.example']);
    const html = await res.text();
    expect(html).toContain('<img class="logo" src="https://cdn.acme.example/brand/logo.svg" alt="Acme ID">');
    expect(html).toContain('· Acme ID</title>');
  });

  test('theme.css serves the configured colour, lower-cased, with its shades', async () => {
    const css = await (await fetch(`${srv.issuer}/static/theme.css`)).text();
    expect(css).toContain('--pc-brand: #0b6e4f;');
    expect(css).toMatch(/--pc-brand-strong: #[0-9a-f]{6};/);
    expect(css).toMatch(/--pc-brand-tint: #[0-9a-f]{6};/);
  });
});
