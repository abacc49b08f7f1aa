/**
 * One request generator per endpoint. Each starts from the endpoint's well-formed requests (its
 * scenarios: a grant with its client authentication, a form with its CSRF token, …) and breaks them
 * (arbitraries.ts): parameter mutations, a wrong transport, mangled headers, a look-alike address, an
 * odd method. Values that exist only at run time — a live interaction's uid and cookies, the signed-in
 * session, fresh codes and tokens — are `~name~` placeholders filled in by `resolve` just before
 * sending, so a failing case shrinks and replays like any other.
 */
import fc from 'fast-check';
import {
  acceptArb,
  anyValue,
  applyMutations,
  assemble,
  cookieArb,
  headerValue,
  methodArb,
  mutations,
  noiseHeaders,
  oddMethod,
  percent,
  place,
  transportArb,
  type Header,
  type Param,
} from './arbitraries.ts';
import { summarize } from './answers.ts';
import { clientAssertion, dpopProof, idTokenHint, type JwtContext } from './jwts.ts';
import type { RawRequest } from './raw-http.ts';

/**
 * What a 4xx may look like: `api`, the OAuth error JSON only; `page`, that or an HTML page. A method or
 * address the endpoint does not serve is judged as a page (the 404 follows the Accept header).
 */
export type Surface = 'api' | 'page';

export interface Generated {
  readonly req: RawRequest;
  readonly surface: Surface;
}

/** A generated request that prints as the request itself, so a counterexample stays readable. */
function generated(req: RawRequest, surface: Surface): Generated {
  return { req, surface, [fc.toStringMethod]: () => summarize(req) } as Generated;
}

/** Run-time values, as `~name~` in a generated request (unreserved characters: no encoding changes them). */
export const PLACEHOLDERS = ['uid', 'csrf', 'cookie', 'access', 'refresh', 'idtoken', 'session', 'code', 'verifier'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type LiveValues = Partial<Record<Placeholder, string>>;
const ph = (name: Placeholder) => `~${name}~`;
const PLACEHOLDER = new RegExp(`~(${PLACEHOLDERS.join('|')})~`, 'g');

/** The request with every placeholder replaced (a value the run does not have becomes the empty string). */
export function resolve(req: RawRequest, values: LiveValues): RawRequest {
  const fill = (s: string) => s.replace(PLACEHOLDER, (_, name: Placeholder) => values[name] ?? '');
  return {
    method: req.method,
    path: fill(req.path),
    headers: req.headers.map(([k, v]) => [k, fill(v)] as const),
    // latin1 maps each byte to one character and back, so a body that is not UTF-8 survives.
    body: req.body && Buffer.from(fill(req.body.toString('latin1')), 'latin1'),
    chunked: req.chunked,
  };
}

export interface EndpointFixture {
  readonly issuer: string;
  readonly api: string;
  readonly redirectUri: string;
  /** Signed with the server's own key (ID token hints), the private_key_jwt client's, a DPoP key. */
  readonly idToken: JwtContext;
  readonly assertion: JwtContext;
  readonly dpop: JwtContext;
  /** `Authorization: Basic` of the confidential test client `app`. */
  readonly basic: string;
  readonly clientSecret: string;
  readonly jwtClientId: string;
}

/** A well-formed request of an endpoint, before it is broken. */
interface Scenario {
  readonly method: string;
  readonly path: string;
  readonly params: readonly Param[];
  readonly headers: readonly Header[];
}

interface EndpointSpec {
  readonly scenarios: fc.Arbitrary<Scenario>;
  /** Values mutations draw from (besides any value at all), by parameter name. */
  readonly vocabulary: Record<string, fc.Arbitrary<string>>;
  /** Addresses next to the endpoint's that are not it. */
  readonly lookAlikes: readonly string[];
  readonly surface: Surface;
}

const b64 = (s: string) => Buffer.from(s, 'latin1').toString('base64');
const scenario = (method: string, path: string, params: readonly Param[] = [], headers: readonly Header[] = []): Scenario => ({ method, path, params, headers });

/** One thing done to the scenario's headers: dropped, replaced, or sent twice. */
type HeaderMutation = { kind: 'none' } | { kind: 'drop' | 'replace' | 'repeat'; at: number; value: string };
const headerMutationArb: fc.Arbitrary<HeaderMutation> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'none' as const }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constantFrom('drop' as const, 'replace' as const, 'repeat' as const), at: fc.nat(), value: headerValue }), weight: 1 },
);

function mutateHeaders(headers: readonly Header[], m: HeaderMutation): Header[] {
  const out = [...headers];
  if (m.kind === 'none' || out.length === 0) return out;
  const i = m.at % out.length;
  const [name] = out[i] as Header;
  if (m.kind === 'drop') out.splice(i, 1);
  else if (m.kind === 'replace') out[i] = [name, m.value];
  else out.push([name, m.value]);
  return out;
}

/** The router ignores case and a trailing slash: both spellings are still the endpoint. */
type Spelling = 'as-is' | 'upper' | 'slash';
const spellingArb = fc.oneof({ arbitrary: fc.constant<Spelling>('as-is'), weight: 10 }, { arbitrary: fc.constantFrom<Spelling>('upper', 'slash'), weight: 1 });
function spell(path: string, how: Spelling): string {
  const [p = '', q] = path.split('?');
  const spelled = how === 'upper' && !p.includes('~') ? p.toUpperCase() : how === 'slash' && !p.endsWith('/') ? `${p}/` : p;
  return q === undefined ? spelled : `${spelled}?${q}`;
}

function endpointRequest(spec: EndpointSpec): fc.Arbitrary<Generated> {
  return fc
    .record({
      scenario: spec.scenarios,
      mutations: mutations(spec.vocabulary),
      method: fc.oneof({ arbitrary: fc.constant<string | undefined>(undefined), weight: 9 }, { arbitrary: fc.oneof(oddMethod, fc.constantFrom('GET', 'POST')), weight: 1 }),
      spelling: spellingArb,
      lookAlike: fc.oneof({ arbitrary: fc.constant<string | undefined>(undefined), weight: 12 }, { arbitrary: fc.constantFrom(...spec.lookAlikes, '/'), weight: 1 }),
      transport: transportArb,
      headerMutation: headerMutationArb,
      accept: acceptArb,
      noise: noiseHeaders,
    })
    .map((g) => {
      const method = g.method ?? g.scenario.method;
      const params = applyMutations(g.scenario.params, g.mutations);
      const placed = place(method, g.lookAlike ?? spell(g.scenario.path, g.spelling), params, g.transport);
      const headers: Header[] = [['accept', g.accept], ...placed.headers, ...mutateHeaders(g.scenario.headers, g.headerMutation), ...g.noise];
      const own = g.lookAlike === undefined && method === g.scenario.method;
      return generated(assemble(method, placed.path, headers, placed.body, placed.chunked), own ? spec.surface : 'page');
    });
}

const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** How a client proves who it is: Basic, client_secret_post, private_key_jwt, none, or something broken. */
interface ClientAuth {
  readonly params: readonly Param[];
  readonly headers: readonly Header[];
}

function clientAuth(f: EndpointFixture, audience: string): fc.Arbitrary<ClientAuth> {
  const malformed = fc.constantFrom(
    `Basic ${b64('app:wrong-secret')}`,
    `Basic ${b64('app')}`,
    `Basic ${b64(':')}`,
    `Basic ${b64('app:%ff%fe')}`,
    `Basic ${b64('%E0%A4%A:secret')}`,
    `Basic ${b64('\u00ff\u00fe:\u00ff')}`,
    'Basic',
    'Basic !!!!',
    `basic ${f.basic.slice(6)}`,
    `Bearer ${ph('access')}`,
    'Negotiate abc',
  );
  return fc.oneof(
    { arbitrary: fc.constant<ClientAuth>({ params: [], headers: [['authorization', f.basic]] }), weight: 5 },
    { arbitrary: fc.constant<ClientAuth>({ params: [['client_id', 'app'], ['client_secret', f.clientSecret]], headers: [] }), weight: 2 },
    {
      arbitrary: clientAssertion(f.assertion, f.jwtClientId, audience).map((jwt) => ({
        params: [['client_id', f.jwtClientId], ['client_assertion_type', JWT_BEARER], ['client_assertion', jwt]] as Param[],
        headers: [],
      })),
      weight: 4,
    },
    { arbitrary: fc.constant<ClientAuth>({ params: [['client_id', 'spa']], headers: [] }), weight: 1 },
    { arbitrary: malformed.map((value) => ({ params: [], headers: [['authorization', value] as Header] })), weight: 1 },
    {
      arbitrary: fc.tuple(anyValue, anyValue).map(([id, secret]) => ({ params: [], headers: [['authorization', `Basic ${b64(`${percent(id)}:${percent(secret)}`)}`] as Header] })),
      weight: 1,
    },
  );
}

/** `DPoP` headers: none, a proof for the request (now and then broken), or two. */
function dpopHeaders(f: EndpointFixture, htm: string, htu: string): fc.Arbitrary<Header[]> {
  const proof = dpopProof(f.dpop, htm, htu);
  return fc.oneof(
    { arbitrary: fc.constant<Header[]>([]), weight: 3 },
    { arbitrary: proof.map((p): Header[] => [['dpop', p]]), weight: 3 },
    { arbitrary: fc.tuple(proof, proof).map(([a, b]): Header[] => [['dpop', a], ['dpop', b]]), weight: 1 },
  );
}

/** Each of `params`, one time in four. */
const optional = (params: ReadonlyArray<fc.Arbitrary<Param>>) =>
  fc
    .tuple(...params.map((p) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: p, weight: 1 })))
    .map((ps) => ps.filter((p): p is Param => p !== undefined));
const param = (name: string, value: fc.Arbitrary<string>): fc.Arbitrary<Param> => value.map((v) => [name, v] as const);

/** The parameters of an authorization request (/auth and PAR), for a client (one of `only`) and its redirect. */
function authorizationParams(f: EndpointFixture, only?: string): fc.Arbitrary<Param[]> {
  const clients: Array<[string, string]> = [
    ['app', f.redirectUri],
    ['spa', 'https://spa.example/callback'],
    [f.jwtClientId, f.redirectUri],
    ['portcullis-account', `${f.issuer}/account/callback`],
  ];
  const client = fc.constantFrom(...clients.filter(([id]) => only === undefined || id === only));
  const extras = optional([
    param('prompt', fc.constantFrom('login', 'consent', 'none', 'select_account', 'login consent', 'create')),
    param('resource', fc.constant(f.api)),
    param('max_age', fc.constantFrom('0', '3600', '-1', 'abc')),
    param('login_hint', fc.constantFrom('ada@example.com', 'nobody@example.com')),
    param('response_mode', fc.constantFrom('query', 'fragment', 'form_post', 'jwt')),
    param('ui_locales', fc.constantFrom('en', 'fr-CA de')),
    param('claims', fc.constantFrom('{"id_token":{"email":null}}', '{"userinfo":{"name":{"essential":true}}}')),
    param('id_token_hint', fc.oneof(fc.constant(ph('idtoken')), idTokenHint(f.idToken, f.issuer, 'app', 'ada'))),
    param('request', clientAssertion(f.assertion, f.jwtClientId, f.issuer)),
    param('request_uri', fc.constantFrom('urn:ietf:params:oauth:request_uri:abc', 'https://evil.example/request.jwt')),
    param('acr_values', fc.constantFrom('urn:mace:incommon:iap:silver', '0')),
    param('dpop_jkt', fc.constantFrom('x'.repeat(43))),
    param('authorization_details', fc.constantFrom('[]', '[{"type":"x"}]')),
  ]);
  return fc
    .tuple(client, fc.constantFrom('openid', 'openid email profile', 'openid offline_access', 'openid api:read'), fc.string({ minLength: 1, maxLength: 20 }), extras)
    .map(([[clientId, redirectUri], scope, state, more]) => [
      ['client_id', clientId ?? ''],
      ['response_type', 'code'],
      ['redirect_uri', redirectUri ?? ''],
      ['scope', scope],
      ['state', state],
      ['nonce', `n-${state}`],
      ['code_challenge', CHALLENGE],
      ['code_challenge_method', 'S256'],
      ...more,
    ]);
}

function authorizationVocabulary(f: EndpointFixture): Record<string, fc.Arbitrary<string>> {
  return {
    client_id: fc.constantFrom('app', 'spa', 'portcullis-account', f.jwtClientId, 'unknown', ''),
    response_type: fc.constantFrom('code', 'token', 'id_token', 'code id_token', 'none', ''),
    redirect_uri: fc.constantFrom(f.redirectUri, 'https://spa.example/callback', 'https://evil.example/cb', 'javascript:alert(1)', `${f.redirectUri}#x`, '/relative'),
    scope: fc.constantFrom('openid', 'openid offline_access', 'api:read', 'openid api:read api:write', 'openid openid', '', 'x y z'),
    code_challenge: fc.constantFrom(CHALLENGE, 'short', 'x'.repeat(129), ''),
    code_challenge_method: fc.constantFrom('S256', 'plain', 's256', ''),
    prompt: fc.constantFrom('none login', 'unknown', ''),
    max_age: fc.constantFrom('1e400', '99999999999999999999', ''),
    resource: fc.constantFrom('https://unknown.example', 'urn:x', 'not a url', `${f.api}#frag`, `${f.api}?q=1`),
    claims: fc.constantFrom('{', '[]', 'null', '{"id_token":[]}'),
    response_mode: fc.constantFrom('query.jwt', 'web_message', ''),
  };
}

/** /auth, anonymous or with the signed-in session (`~cookie~`); POST is off (oidc-provider's enableHttpPostMethods). */
export function authorizationRequests(f: EndpointFixture): fc.Arbitrary<Generated> {
  return endpointRequest({
    scenarios: fc
      .tuple(authorizationParams(f), fc.constantFrom<Header[]>([['cookie', ph('cookie')]], [['cookie', ph('cookie')]], []))
      .map(([params, headers]) => scenario('GET', '/auth', params, headers)),
    vocabulary: authorizationVocabulary(f),
    lookAlikes: ['/auth/x', '//auth', '/authorize'],
    surface: 'page',
  });
}

/** /request (PAR, RFC 9126): an authorization request with client authentication. */
export function parRequests(f: EndpointFixture): fc.Arbitrary<Generated> {
  const path = '/request';
  // The request is the authenticated client's: its client_id once, from the client authentication when that has one.
  const authenticated = clientAuth(f, f.issuer).chain((auth) => {
    const clientId = auth.params.find(([name]) => name === 'client_id')?.[1];
    return authorizationParams(f, clientId ?? 'app').map((params) => ({ auth, params: clientId ? params.filter(([name]) => name !== 'client_id') : params }));
  });
  return endpointRequest({
    scenarios: fc
      .tuple(authenticated, dpopHeaders(f, 'POST', `${f.issuer}${path}`))
      .map(([{ auth, params }, dpop]) => scenario('POST', path, [...params, ...auth.params], [...auth.headers, ...dpop])),
    vocabulary: authorizationVocabulary(f),
    lookAlikes: ['/request/x', '/par'],
    surface: 'api',
  });
}

const GRANTS = [
  'password',
  'implicit',
  'urn:ietf:params:oauth:grant-type:device_code',
  'urn:ietf:params:oauth:grant-type:token-exchange',
  'urn:ietf:params:oauth:grant-type:jwt-bearer',
  'urn:openid:params:grant-type:ciba',
  '',
] as const;

/** /token: the code, refresh and client credentials grants (live code and tokens), and unsupported ones. */
export function tokenRequests(f: EndpointFixture): fc.Arbitrary<Generated> {
  const path = '/token';
  const grant = fc.oneof(
    optional([param('scope', fc.constantFrom('api:read', 'api:write', 'openid')), param('resource', fc.constant(f.api))]).map((more): Param[] => [['grant_type', 'client_credentials'], ...more]),
    fc.constant<Param[]>([['grant_type', 'authorization_code'], ['code', ph('code')], ['redirect_uri', f.redirectUri], ['code_verifier', ph('verifier')]]),
    optional([param('scope', fc.constantFrom('openid', 'openid offline_access')), param('resource', fc.constant(f.api))]).map((more): Param[] => [['grant_type', 'refresh_token'], ['refresh_token', ph('refresh')], ...more]),
    fc.tuple(fc.constantFrom(...GRANTS), anyValue).map(([g, v]): Param[] => [['grant_type', g], ['username', 'ada@example.com'], ['password', v], ['assertion', v]]),
  );
  return endpointRequest({
    scenarios: fc
      .tuple(grant, clientAuth(f, `${f.issuer}${path}`), dpopHeaders(f, 'POST', `${f.issuer}${path}`))
      .map(([params, auth, dpop]) => scenario('POST', path, [...params, ...auth.params], [...auth.headers, ...dpop])),
    vocabulary: {
      grant_type: fc.constantFrom('authorization_code', 'refresh_token', 'client_credentials', ...GRANTS),
      code: fc.constantFrom(ph('access'), ph('refresh'), 'not-a-code'),
      redirect_uri: fc.constantFrom('https://spa.example/callback', `${f.redirectUri}/`, ''),
      code_verifier: fc.constantFrom('short', 'x'.repeat(129), ph('code'), ''),
      refresh_token: fc.constantFrom(ph('access'), ph('code'), 'not-a-token'),
      scope: fc.constantFrom('openid profile email offline_access api:read api:write', 'x', ''),
      resource: fc.constantFrom('https://unknown.example', 'urn:x', `${f.api}#frag`),
      client_id: fc.constantFrom('app', 'spa', f.jwtClientId, 'portcullis-account', 'nobody'),
      client_secret: fc.constantFrom(f.clientSecret, 'wrong'),
      client_assertion_type: fc.constantFrom(JWT_BEARER, 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer'),
    },
    lookAlikes: ['/token;x', '/token/x', '/oauth/token'],
    surface: 'api',
  });
}

/** /token/revocation and /token/introspection: live tokens (or others) with client authentication. */
export function tokenManagementRequests(f: EndpointFixture): fc.Arbitrary<Generated> {
  const token = fc.constantFrom(ph('access'), ph('refresh'), ph('idtoken'), ph('code'), 'not-a-token', 'a.b.c');
  return endpointRequest({
    scenarios: fc
      .tuple(fc.constantFrom('/token/revocation', '/token/introspection'), token, fc.option(fc.constantFrom('access_token', 'refresh_token', 'id_token'), { nil: undefined }), clientAuth(f, f.issuer))
      .map(([path, t, hint, auth]) => scenario('POST', path, [['token', t], ...(hint ? [['token_type_hint', hint] as Param] : []), ...auth.params], auth.headers)),
    vocabulary: {
      token: fc.constantFrom(ph('access'), ph('refresh'), ''),
      token_type_hint: fc.constantFrom('access_token', 'refresh_token', 'foo', ''),
      client_id: fc.constantFrom('app', 'spa', f.jwtClientId, 'nobody'),
      client_secret: fc.constantFrom(f.clientSecret, 'wrong'),
    },
    lookAlikes: ['/token/introspection/x', '/token/revoke', '/introspect'],
    surface: 'api',
  });
}

/** /me: the live access token as a Bearer or DPoP token, in the header, the query or the body. */
export function userinfoRequests(f: EndpointFixture): fc.Arbitrary<Generated> {
  const path = '/me';
  const presented = fc.oneof(
    fc.constant({ params: [] as Param[], headers: [['authorization', `Bearer ${ph('access')}`]] as Header[] }),
    dpopHeaders(f, 'GET', `${f.issuer}${path}`).map((dpop) => ({ params: [] as Param[], headers: [['authorization', `DPoP ${ph('access')}`] as Header, ...dpop] })),
    fc.constant({ params: [['access_token', ph('access')]] as Param[], headers: [] as Header[] }),
    fc.constantFrom(`Bearer ${ph('refresh')}`, `Bearer ${ph('idtoken')}`, 'Bearer', 'Bearer  x', f.basic).map((a) => ({ params: [] as Param[], headers: [['authorization', a]] as Header[] })),
  );
  return endpointRequest({
    scenarios: fc.tuple(fc.constantFrom('GET', 'GET', 'POST'), presented).map(([method, p]) => scenario(method, path, p.params, p.headers)),
    vocabulary: { access_token: fc.constantFrom(ph('refresh'), ph('idtoken'), ''), scope: fc.constantFrom('openid', ''), claims: fc.constantFrom('{}', '{') },
    lookAlikes: ['/me/x', '/userinfo'],
    surface: 'api',
  });
}

/** The signed-in session's cookie mostly; someone else's cookies or none now and then. */
const sessionCookie: fc.Arbitrary<Header[]> = fc.oneof(
  { arbitrary: fc.constant<Header[]>([['cookie', ph('cookie')]]), weight: 4 },
  { arbitrary: cookieArb.map((c): Header[] => [['cookie', c]]), weight: 1 },
  { arbitrary: fc.constant<Header[]>([]), weight: 1 },
);

/** /session/end with the live ID token or a crafted one, its confirmation with the live xsrf, its success page. */
export function endSessionRequests(f: EndpointFixture): fc.Arbitrary<Generated> {
  const hint = fc.oneof(fc.constant(ph('idtoken')), idTokenHint(f.idToken, f.issuer, 'app', 'ada'), idTokenHint(f.idToken, f.issuer, 'spa', 'nobody'));
  const start = fc
    .tuple(hint, optional([param('post_logout_redirect_uri', fc.constant('https://app.example/')), param('state', fc.string({ maxLength: 20 })), param('client_id', fc.constantFrom('app', 'spa')), param('ui_locales', fc.constant('en'))]))
    .map(([h, more]) => scenario('GET', '/session/end', [['id_token_hint', h], ...more]));
  const confirm = fc.constantFrom('yes', 'yes', '').map((logout) => scenario('POST', '/session/end/confirm', [['xsrf', ph('csrf')], ...(logout ? [['logout', logout] as Param] : [])]));
  const success = fc.constantFrom('app', 'spa', 'nobody').map((clientId) => scenario('GET', '/session/end/success', [['client_id', clientId]]));
  return endpointRequest({
    scenarios: fc
      .tuple(fc.oneof({ arbitrary: start, weight: 3 }, { arbitrary: confirm, weight: 2 }, { arbitrary: success, weight: 1 }), sessionCookie)
      .map(([s, cookie]) => ({ ...s, headers: cookie })),
    vocabulary: {
      id_token_hint: fc.constantFrom(ph('access'), 'a.b.c', ''),
      post_logout_redirect_uri: fc.constantFrom('https://evil.example/', 'javascript:alert(1)', ''),
      client_id: fc.constantFrom('unknown', ''),
      xsrf: fc.constantFrom('', 'x'),
      logout: fc.constantFrom('true', 'no', ''),
    },
    lookAlikes: ['/session/end/x', '/session', '/logout'],
    surface: 'page',
  });
}

/** The hosted pages of a live interaction (`~uid~`, its cookies and CSRF token), and of unknown ones. */
export function interactionRequests(): fc.Arbitrary<Generated> {
  const csrf: Param = ['csrf', ph('csrf')];
  const form = fc.oneof(
    fc.constant(scenario('GET', `/interaction/${ph('uid')}?client_id=app`)),
    fc
      .tuple(fc.constantFrom('fuzz@example.com', ' FUZZ@example.com ', 'nobody@example.com'), anyValue)
      .map(([email, password]) => scenario('POST', `/interaction/${ph('uid')}/login?client_id=app`, [csrf, ['email', email], ['password', password]])),
    fc.constantFrom('allow', 'deny').map((decision) => scenario('POST', `/interaction/${ph('uid')}/consent?client_id=app`, [csrf, ['decision', decision]])),
    fc.constant(scenario('POST', `/interaction/${ph('uid')}/abort?client_id=app`, [csrf])),
  );
  return endpointRequest({
    scenarios: fc.tuple(form, sessionCookie).map(([s, cookie]) => ({ ...s, headers: cookie })),
    vocabulary: { csrf: fc.constantFrom('', 'x'.repeat(43)), email: fc.constantFrom('ada@example.com', ''), decision: fc.constantFrom('maybe', ''), client_id: fc.constantFrom('%ff', 'spa') },
    lookAlikes: ['/interaction/x', '/interaction/no-such-uid/login', `/interaction/${ph('uid')}/x`, '/interaction/%ff/consent', `/interaction/${'u'.repeat(300)}`, '/interaction'],
    surface: 'page',
  });
}

/** The account page and its actions, with the signed-in session (`~cookie~`) and its CSRF token. */
export function accountRequests(): fc.Arbitrary<Generated> {
  const csrf: Param = ['csrf', ph('csrf')];
  const page = fc.oneof(
    fc.constantFrom('/account', '/account?notice=password-changed', '/account?notice=__proto__').map((p) => scenario('GET', p)),
    fc.constantFrom('/account/callback?state=x&code=y', '/account/callback?error=access_denied&state=x').map((p) => scenario('GET', p)),
    fc.constantFrom('/account/sessions/end-others', `/account/sessions/${ph('session')}/end`, '/account/apps/app/revoke', '/account/logout').map((p) => scenario('POST', p, [csrf])),
    // Never the real current password: a change would lock the other properties out.
    fc.tuple(anyValue, fc.oneof(anyValue, fc.constant('a much longer passphrase for the fuzz 1234'))).map(([current, next]) => scenario('POST', '/account/password', [csrf, ['current_password', current], ['new_password', next]])),
  );
  return endpointRequest({
    scenarios: fc.tuple(page, sessionCookie).map(([s, cookie]) => ({ ...s, headers: cookie })),
    vocabulary: { csrf: fc.constantFrom('', 'x'.repeat(43)), notice: fc.constantFrom('__proto__', 'x'), state: anyValue, code: anyValue },
    lookAlikes: ['/account/x', '/account/sessions/no-such/end', '/account/sessions/%ff/end', '/account/apps/%E0%A4%A/revoke', '/account/apps/__proto__/revoke'],
    surface: 'page',
  });
}

/** Discovery, /jwks, health, static files, and addresses that do not exist, with any method. */
export function surfaceRequests(): fc.Arbitrary<Generated> {
  const api = ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server', '/jwks', '/healthz', '/readyz'];
  const pages = ['/static/style.css', '/static/theme.css', '/static/..%2f..%2fpackage.json', '/static/%ff', '/static/'];
  const nowhere = fc.oneof(
    fc.webPath().map((p) => (p.startsWith('/') ? p : `/${p}`)),
    fc.constantFrom('/', '//', '/..', '/%2e%2e/%2e%2e/etc/passwd', '/.well-known/', '/.well-known/x', '/%', '/%ff%fe', '/a%00b', '/%C0%AE%C0%AE/', '/session', '/token/x/y', `/${'x'.repeat(9_000)}`),
  );
  const target = fc.oneof(
    { arbitrary: fc.constantFrom(...api).map((p) => [p, 'api'] as const), weight: 3 },
    { arbitrary: fc.constantFrom(...pages).map((p) => [p, 'page'] as const), weight: 1 },
    { arbitrary: nowhere.map((p) => [p, 'page'] as const), weight: 2 },
  );
  const vocabulary: Record<string, fc.Arbitrary<string>> = { x: anyValue, format: anyValue };
  return fc
    .record({
      target,
      method: fc.oneof({ arbitrary: fc.constant('GET'), weight: 6 }, { arbitrary: methodArb(['POST', 'HEAD']), weight: 2 }),
      params: fc.array(fc.tuple(fc.constantFrom('x', 'format', 'callback'), anyValue), { maxLength: 3 }),
      mutations: mutations(vocabulary),
      transport: transportArb,
      accept: acceptArb,
      ifNoneMatch: fc.option(fc.constantFrom('*', '"x"', 'W/"x"', ''), { nil: undefined }),
      noise: noiseHeaders,
    })
    .map((g) => {
      const [path, surface] = g.target;
      const placed = place(g.method, path, applyMutations(g.params, g.mutations), g.transport);
      const req = assemble(g.method, placed.path, [['accept', g.accept], ['if-none-match', g.ifNoneMatch], ...placed.headers, ...g.noise], placed.body, placed.chunked);
      return generated(req, g.method === 'GET' || g.method === 'HEAD' ? surface : 'page');
    });
}
