/**
 * The property suite's target: the real app on a loopback port (test/helpers/server.ts) with the test
 * clients plus a private_key_jwt one, and the live state generated requests refer to — a fresh code and
 * fresh tokens, a signed-in browser session with its CSRF tokens, a fresh interaction. Generated
 * requests go through one raw client that counts them; a batch fails on the first answer that breaks
 * the rule (answers.ts). The suite's own set-up requests go through fetch and are not counted.
 *
 * Every real secret the suite sees — fixture secrets and passwords, the codes, tokens and session ids
 * the server hands out, to the set-up or to a generated request — is noted, and `leakedSecrets` says
 * which of them reached the server's log. (The run-wide log scan cannot judge this server: it takes
 * whatever a request carries in a secret's place for a secret, and here that is generated junk.)
 */
import type { JsonWebKey } from 'node:crypto';
import { Browser, onlyForm, parseForms, type Page } from '../helpers/browser.ts';
import { APP_REDIRECT, authorizationRequest, discoverApp, exchangeCode, signIn } from '../helpers/flow.ts';
import { API, CLIENT_SECRET, startTestServer, TEST_KEYS, USER, type TestServer } from '../helpers/server.ts';
import type { Store } from '../../src/store/index.ts';
import { describeFailure, summarize } from './answers.ts';
import { resolve, type EndpointFixture, type Generated, type LiveValues } from './endpoints.ts';
import { fromPrivateJwk, generatedKey, publicKeyMaterial, type JwtContext } from './jwts.ts';
import { createRawClient, header, type RawClient, type RawResponse } from './raw-http.ts';

const JWT_CLIENT_ID = 'jwt-app';
/** The user generated login attempts aim at (its throttle fills up); the suite itself signs in as USER. */
const FUZZ_USER = { email: 'fuzz@example.com', password: 'fuzz user password that nobody will guess' } as const;

/**
 * The limits that would otherwise answer in the endpoints' place: the login throttle (the suite's own
 * sign-ins must keep working) and request rate limiting. A 429 is still an answer in shape (answers.ts).
 */
const UNTHROTTLED = { LOGIN_FREE_FAILURES: '100', LOGIN_IP_MAX_FAILURES_PER_HOUR: '1000000', RATE_LIMITS_ENABLED: 'false' } as const;

export interface Target {
  readonly srv: TestServer;
  readonly client: RawClient;
  readonly fixture: EndpointFixture;
  /** Sends a batch (at most 8 in flight) and throws on the first answer that breaks the rule. */
  send(batch: readonly Generated[], values: LiveValues): Promise<void>;
  /** Fresh tokens (one refresh, mostly), and the signed-in session of the app's browser that got them. */
  tokens(): Promise<LiveValues>;
  /** The same, and a fresh authorization code with its verifier. */
  grant(): Promise<LiveValues>;
  /** A fresh interaction at its login step, or (signed in) at its consent step. */
  interaction(step: 'login' | 'consent'): Promise<LiveValues>;
  /** The account page's session (signed in again when a generated request ended it) and CSRF token. */
  accountSession(): Promise<LiveValues>;
  /** The same session on its logout confirmation page: the form's xsrf as `csrf`, and an ID token. */
  logoutPage(): Promise<LiveValues>;
  /** The real secrets seen so far that are in a line of the server's log. */
  leakedSecrets(): string[];
  close(): Promise<void>;
}

/** Token-shaped runs long enough to be told apart (test/setup/log-scan.ts does the same). */
const RUN = /[A-Za-z0-9_-]{20,}/g;

/** Which of `secrets` are in `text`: a set lookup by each secret's longest run, then a search to confirm. */
function secretsIn(text: string, secrets: Iterable<string>): string[] {
  const runs = new Set(text.match(RUN) ?? []);
  return [...secrets].filter((secret) => {
    const run = secret.match(RUN)?.reduce((a, b) => (b.length > a.length ? b : a));
    return (run === undefined || runs.has(run)) && text.includes(secret);
  });
}

/** The secrets a response hands out: tokens in a JSON body, a code in the redirect, the session cookie. */
function secretsOf(res: RawResponse): string[] {
  const found: string[] = [];
  if (/json/.test(header(res, 'content-type') ?? '')) {
    try {
      const body = JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;
      for (const field of ['access_token', 'refresh_token', 'id_token']) if (typeof body[field] === 'string') found.push(body[field]);
    } catch {
      // not JSON after all: nothing handed out
    }
  }
  const location = header(res, 'location');
  if (location && URL.canParse(location, 'http://redirect.invalid')) found.push(new URL(location, 'http://redirect.invalid').searchParams.get('code') ?? '');
  for (const cookie of [res.headers['set-cookie'] ?? []].flat()) {
    const session = /^_session=([^;]+)/.exec(cookie)?.[1];
    if (session) found.push(session);
  }
  return found;
}

function jwtContexts(serverKeys: ReturnType<typeof fromPrivateJwk>[], clientKey: ReturnType<typeof generatedKey>) {
  const attacker = generatedKey('rsa', 'attacker');
  const material = publicKeyMaterial(serverKeys.map((k) => k.publicJwk));
  const context = (right: JwtContext['rightKey']): JwtContext => ({
    rightKey: right,
    otherKey: attacker,
    publicMaterial: material,
    otherKids: [...serverKeys.map((k) => k.kid), clientKey.kid].filter((kid) => kid !== right.kid),
  });
  return { idToken: context(serverKeys[0] ?? attacker), assertion: context(clientKey), dpop: context(generatedKey('ec', 'dpop')) };
}

export async function startTarget(store: Store): Promise<Target> {
  const srv = await startTestServer({ store, env: UNTHROTTLED });
  const clientKey = generatedKey('ec', 'jwt-app-key');
  await srv.app.bootstrap('property suite', {
    clients: [
      {
        client_id: JWT_CLIENT_ID,
        redirect_uris: [APP_REDIRECT],
        grant_types: ['authorization_code', 'client_credentials'],
        response_types: ['code'],
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'ES256',
        jwks: { keys: [clientKey.publicJwk] },
        scope: 'openid api:read',
      },
    ],
    users: [FUZZ_USER],
  });
  const serverKeys = TEST_KEYS.map((k) => fromPrivateJwk(k as unknown as JsonWebKey & { kid: string; alg: string }));
  const basic = `Basic ${Buffer.from(`app:${CLIENT_SECRET}`).toString('base64')}`;
  const fixture: EndpointFixture = {
    issuer: srv.issuer,
    api: API,
    redirectUri: APP_REDIRECT,
    ...jwtContexts(serverKeys, clientKey),
    basic,
    clientSecret: CLIENT_SECRET,
    jwtClientId: JWT_CLIENT_ID,
  };
  const client = createRawClient(srv.url, 8);
  const app = await discoverApp(srv.issuer);
  const secrets = new Set<string>([CLIENT_SECRET, USER.password, FUZZ_USER.password]);
  const note = (...values: Array<string | null | undefined>) => {
    for (const v of values) if (typeof v === 'string' && v.length >= 8) secrets.add(v);
  };
  const noteSessionCookie = (cookies: string) => note(/(?:^|;\s*)_session=([^;]+)/.exec(cookies)?.[1]);

  // The app's side: one signed-in browser that consents when asked, codes and tokens for the grants.
  const appBrowser = new Browser(srv.issuer);
  async function frontChannel(params: Record<string, string>) {
    const request = await authorizationRequest(app, params);
    let page = await appBrowser.navigate(request.url.href);
    if (page.html.includes('name="password"')) page = await signIn(appBrowser, page);
    if (page.html.includes('name="decision"')) page = await appBrowser.submit(page, onlyForm(page));
    if (!page.url.startsWith(APP_REDIRECT)) throw new Error(`the app got no code: ${page.status} ${page.url}`);
    return { browser: appBrowser, request, callback: new URL(page.url) };
  }
  let tokens: LiveValues = {};
  /** Rotates the refresh token (one request) when generated requests left it usable, else runs a new flow. */
  async function freshTokens(): Promise<void> {
    if (tokens.refresh) {
      const res = await fetch(`${srv.issuer}/token`, {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh }),
      });
      const body = (await res.json()) as Record<string, string>;
      if (res.ok) {
        tokens = { access: body.access_token, refresh: body.refresh_token, idtoken: body.id_token ?? tokens.idtoken };
        note(tokens.access, tokens.refresh, tokens.idtoken);
        return;
      }
    }
    const flow = await frontChannel({ scope: 'openid offline_access', prompt: 'consent' });
    const issued = await exchangeCode(app, flow);
    tokens = { access: issued.access_token, refresh: issued.refresh_token ?? '', idtoken: issued.id_token ?? '' };
    note(flow.callback.searchParams.get('code'), flow.request.verifier, tokens.access, tokens.refresh, tokens.idtoken);
  }

  async function liveTokens(): Promise<LiveValues> {
    await freshTokens();
    const cookie = await appBrowser.jar.getCookieString(`${srv.issuer}/auth`);
    noteSessionCookie(cookie);
    return { ...tokens, cookie };
  }

  const account = new Browser(srv.issuer, { 'user-agent': 'property suite' });
  async function accountPage(): Promise<Page> {
    let page = await account.navigate(`${srv.issuer}/account`);
    if (page.html.includes('name="password"')) page = await signIn(account, page);
    if (page.url !== `${srv.issuer}/account` || page.status !== 200) throw new Error(`account sign-in failed: ${page.status} ${page.url}`);
    return page;
  }

  return {
    srv,
    client,
    fixture,
    async send(batch, values) {
      await Promise.all(
        batch.map(async (generated) => {
          const req = resolve(generated.req, values);
          let res;
          try {
            res = await client.send(req);
          } catch (err) {
            const { code, reusedSocket } = err as { code?: string; reusedSocket?: boolean };
            throw new Error(`no answer (${(err as Error).message}, ${code ?? 'no code'}${reusedSocket ? ', on a reused connection' : ''})\n${summarize(req)}`);
          }
          note(...secretsOf(res));
          const problem = describeFailure(generated.surface, req, res);
          if (problem) throw new Error(`${problem}\n${summarize(req, res)}`);
        }),
      );
    },
    tokens: liveTokens,
    async grant() {
      const { request, callback } = await frontChannel({ scope: 'openid' });
      note(callback.searchParams.get('code'), request.verifier);
      return { ...(await liveTokens()), code: callback.searchParams.get('code') ?? '', verifier: request.verifier };
    },
    async interaction(step) {
      const browser = new Browser(srv.issuer);
      const started = await authorizationRequest(app, { scope: 'openid email api:read', resource: API, prompt: 'consent' });
      let page = await browser.navigate(started.url.href);
      if (step === 'consent') page = await signIn(browser, page);
      const uid = /\/interaction\/([^/?]+)/.exec(page.url)?.[1];
      const csrf = parseForms(page.html)[0]?.fields.csrf;
      if (!uid || !csrf) throw new Error(`no ${step} interaction: ${page.status} ${page.url}`);
      const cookie = await browser.jar.getCookieString(`${srv.issuer}/interaction/${uid}/login`);
      noteSessionCookie(cookie);
      return { uid, csrf, cookie };
    },
    async accountSession() {
      const forms = parseForms((await accountPage()).html);
      const session = forms.map((f) => /^\/account\/sessions\/([^/]+)\/end$/.exec(f.action)?.[1]).find(Boolean);
      const cookie = await account.jar.getCookieString(`${srv.issuer}/account`);
      noteSessionCookie(cookie);
      return { csrf: forms[0]?.fields.csrf ?? '', session: session ?? '', cookie };
    },
    async logoutPage() {
      await accountPage();
      const page = await account.navigate(`${srv.issuer}/session/end?client_id=app`);
      const xsrf = parseForms(page.html).find((f) => f.action.endsWith('/session/end/confirm'))?.fields.xsrf;
      if (!xsrf) throw new Error(`no logout confirmation: ${page.status} ${page.html.slice(0, 200)}`);
      if (!tokens.idtoken) await freshTokens();
      const cookie = await account.jar.getCookieString(`${srv.issuer}/session/end/confirm`);
      noteSessionCookie(cookie);
      return { csrf: xsrf, idtoken: tokens.idtoken, cookie };
    },
    leakedSecrets: () => secretsIn(srv.logs().map((line) => JSON.stringify(line)).join('\n'), secrets),
    async close() {
      client.close();
      await srv.close();
    },
  };
}
