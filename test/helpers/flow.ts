/**
 * The third-party app's side of the code flow, with openid-client as the app: discovery, PKCE S256,
 * state and nonce; the person's side goes through the hosted pages in a Browser. Every secret these
 * helpers see (client secret, passwords, codes, verifiers, tokens, session cookies) is noted for the
 * log scan (test/setup/log-scan*.ts), whichever server — in this process or spawned — issued it.
 */
import * as oidc from 'openid-client';
import { recordSecret, recordTokens } from '../setup/log-scan-capture.ts';
import { Browser, onlyForm, type Page } from './browser.ts';
import { CLIENT_SECRET, USER } from './server.ts';

/** The app's fetch: token endpoint answers (codes, refreshes, client credentials) are noted for the log scan. */
const recordingFetch: oidc.CustomFetch = async (url, options) => {
  const res = await fetch(url, options as RequestInit);
  if (new URL(url).pathname.endsWith('/token') && res.ok) recordTokens(await res.clone().json().catch(() => undefined));
  return res;
};

export const APP_REDIRECT = 'https://app.example/cb';

export async function discoverApp(issuer: string, clientId = 'app', secret: string | null = CLIENT_SECRET): Promise<oidc.Configuration> {
  recordSecret('client_secret', secret);
  return oidc.discovery(
    new URL(issuer),
    clientId,
    secret ? { client_secret: secret } : undefined,
    secret ? oidc.ClientSecretBasic(secret) : oidc.None(),
    { execute: [oidc.allowInsecureRequests], [oidc.customFetch]: recordingFetch },
  );
}

export interface AuthorizationRequest {
  readonly url: URL;
  readonly verifier: string;
  readonly state: string;
  readonly nonce: string;
}

export async function authorizationRequest(
  app: oidc.Configuration,
  params: Record<string, string> = {},
): Promise<AuthorizationRequest> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(app, {
    redirect_uri: APP_REDIRECT,
    scope: 'openid profile email',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...params,
  });
  return { url, verifier, state, nonce };
}

/** Fills the hosted login form and submits it. */
export async function signIn(browser: Browser, page: Page, email: string = USER.email, password: string = USER.password): Promise<Page> {
  recordSecret('password', password);
  return browser.submit(page, onlyForm(page), { email, password });
}

/** Presses the consent form's first submit button (approve, per DESIGN.md) or the second (deny). */
export async function answerConsent(browser: Browser, page: Page, approve = true): Promise<Page> {
  return browser.submit(page, onlyForm(page), {}, approve ? 0 : 1);
}

export interface FlowResult {
  readonly browser: Browser;
  readonly request: AuthorizationRequest;
  readonly callback: URL;
}

/** Runs the whole front channel: authorization request, login, consent; returns the redirect to the app. */
export async function runFrontChannel(
  issuer: string,
  app: oidc.Configuration,
  params: Record<string, string> = {},
  browser = new Browser(issuer),
): Promise<FlowResult> {
  const request = await authorizationRequest(app, params);
  let page = await browser.navigate(request.url.href);
  if (page.url.includes('/interaction/') && page.html.includes('name="password"')) page = await signIn(browser, page);
  if (page.url.includes('/interaction/') && page.html.includes('name="decision"')) page = await answerConsent(browser, page);
  const redirect = params.redirect_uri ?? APP_REDIRECT;
  await recordSessionCookies(browser, issuer);
  if (!page.url.startsWith(redirect)) throw new Error(`flow did not return to the app: ${page.url} ${page.status} ${page.html.slice(0, 400)}`);
  return { browser, request, callback: new URL(page.url) };
}

/** The session cookie (its value is the session id) a browser holds for the issuer, noted for the log scan. */
export async function recordSessionCookies(browser: Browser, issuer: string): Promise<void> {
  for (const cookie of await browser.jar.getCookies(issuer)) if (cookie.key === '_session') recordSecret('session_cookie', cookie.value);
}

export async function exchangeCode(app: oidc.Configuration, flow: FlowResult, parameters: Record<string, string> = {}) {
  recordSecret('authorization_code', flow.callback.searchParams.get('code'));
  recordSecret('code_verifier', flow.request.verifier);
  const tokens = await oidc.authorizationCodeGrant(
    app,
    flow.callback,
    { pkceCodeVerifier: flow.request.verifier, expectedState: flow.request.state, expectedNonce: flow.request.nonce },
    parameters,
  );
  recordTokens(tokens);
  return tokens;
}
