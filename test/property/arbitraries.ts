/**
 * The building blocks of hostile requests. A request starts from a well-formed one of its endpoint
 * (endpoints.ts) so that it gets past the first checks, and is then broken a little: a few parameter
 * mutations (dropped, replaced by a huge, binary or look-alike value, repeated, turned into `a[]=`
 * arrays, renamed), and a transport that is now and then wrong — the parameters in the query instead
 * of the body, JSON or raw non-UTF-8 bytes where a form belongs, a wrong content type or encoding,
 * invalid percent-escapes, very long or repeated headers, an odd method.
 */
import fc from 'fast-check';
import type { RawRequest } from './raw-http.ts';

export type Param = readonly [name: string, value: string];
export type Header = readonly [name: string, value: string | undefined];

/** Sizes that cross the limits: the 16 KiB form parser and header block, oidc-provider's 56 KiB body cap. */
const HUGE_LENGTHS = [1_000, 9_000, 17_000, 70_000] as const;

const huge = fc
  .tuple(fc.constantFrom(...HUGE_LENGTHS), fc.constantFrom('a', '%', '\u00e9', '=', '\u{1F600}', 'A.'))
  .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));

const TRICKY = [
  '',
  ' ',
  '\u0000',
  '\r\n',
  'null',
  'undefined',
  'true',
  '0',
  '-1',
  '1e308',
  'NaN',
  '[]',
  '{}',
  '{"a":1}',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '../../etc/passwd',
  '%',
  '%ff',
  '\uD800',
  '\uFFFF',
  '<script>alert(1)</script>',
  '"><img src=x>',
  "' OR '1'='1",
  '${7*7}',
  '<%= 7*7 %>',
  '{{7*7}}',
  '{"$gt":""}',
  'a'.repeat(64),
] as const;

/** Any string a parameter could carry: mostly short, now and then huge, binary or a known troublemaker. */
export const anyValue: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ maxLength: 40 }), weight: 8 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 4 },
  { arbitrary: fc.constantFrom(...TRICKY), weight: 6 },
  { arbitrary: fc.base64String({ maxLength: 80 }), weight: 2 },
  { arbitrary: huge, weight: 1 },
);

const anyName: fc.Arbitrary<string> = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'a[]', 'a[0]', 'a[b]', 'a.b', '', '=', '&', ' '),
);

/** What is done to one parameter of a well-formed request (`at` picks it, modulo the list's length). */
export type Mutation =
  | { readonly kind: 'drop'; readonly at: number }
  | { readonly kind: 'replace'; readonly at: number; readonly value: string }
  | { readonly kind: 'repeat'; readonly at: number; readonly value: string | undefined }
  | { readonly kind: 'array'; readonly at: number; readonly suffix: string }
  | { readonly kind: 'rename'; readonly at: number; readonly name: string }
  | { readonly kind: 'add'; readonly param: Param };

function mutation(vocabulary: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<Mutation> {
  const names = Object.keys(vocabulary);
  const plausible = fc.constantFrom(...names).chain((name) => fc.tuple(fc.constant(name), vocabulary[name] ?? anyValue));
  const value = fc.oneof(anyValue, plausible.map(([, v]) => v));
  const at = fc.nat();
  return fc.oneof(
    fc.record({ kind: fc.constant('drop' as const), at }),
    fc.record({ kind: fc.constant('replace' as const), at, value }),
    fc.record({ kind: fc.constant('repeat' as const), at, value: fc.option(value, { nil: undefined }) }),
    fc.record({ kind: fc.constant('array' as const), at, suffix: fc.constantFrom('[]', '[0]', '[a]', '.x') }),
    fc.record({ kind: fc.constant('rename' as const), at, name: fc.oneof(anyName, fc.constantFrom(...names)) }),
    fc.record({ kind: fc.constant('add' as const), param: fc.oneof({ arbitrary: plausible, weight: 3 }, { arbitrary: fc.tuple(anyName, anyValue), weight: 1 }) }),
  );
}

function apply(params: readonly Param[], m: Mutation): Param[] {
  const out = [...params];
  if (m.kind === 'add') return [...out, m.param];
  if (out.length === 0) return out;
  const i = m.at % out.length;
  const [name, value] = out[i] as Param;
  switch (m.kind) {
    case 'drop':
      out.splice(i, 1);
      break;
    case 'replace':
      out[i] = [name, m.value];
      break;
    case 'repeat':
      out.push([name, m.value ?? value]);
      break;
    case 'array':
      out.splice(i, 1, [`${name}${m.suffix}`, value], [`${name}${m.suffix}`, value]);
      break;
    case 'rename':
      out[i] = [m.name, value];
      break;
  }
  return out;
}

/** Up to three mutations; about a quarter of the requests get none and stay well-formed. */
export function mutations(vocabulary: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<Mutation[]> {
  return fc.oneof({ arbitrary: fc.constant<Mutation[]>([]), weight: 1 }, { arbitrary: fc.array(mutation(vocabulary), { minLength: 1, maxLength: 3 }), weight: 3 });
}

export const applyMutations = (params: readonly Param[], ms: readonly Mutation[]): Param[] => ms.reduce(apply, [...params]);

/** encodeURIComponent, with a lone surrogate made U+FFFD first (encodeURIComponent throws on one). */
export const percent = (s: string): string => encodeURIComponent(s.toWellFormed());

/** Invalid UTF-8 and invalid escapes: a lone continuation byte, overlong `/`, a surrogate, a cut escape. */
const BAD_ESCAPES = ['%ff', '%fe%ff', '%c0%af', '%ed%a0%80', '%e2%82', '%80', '%', '%z1', '%%41', '%u0041', '%00'] as const;

/**
 * How parameters are written: `percent` as they should be; `raw` with printable ASCII unescaped (`&`,
 * `=`, `#`, `%` and `[` included: Node's HTTP parser refuses any other byte in a request target, so
 * raw non-UTF-8 bytes go in bodies); `broken` with an invalid escape after every name and value.
 */
export type Encoding = 'percent' | 'raw' | { readonly broken: string };

const encodingArb: fc.Arbitrary<Encoding> = fc.oneof(
  { arbitrary: fc.constant<Encoding>('percent'), weight: 8 },
  { arbitrary: fc.constant<Encoding>('raw'), weight: 1 },
  { arbitrary: fc.constantFrom(...BAD_ESCAPES).map((broken): Encoding => ({ broken })), weight: 1 },
);

function encodeComponent(s: string, how: Encoding): string {
  if (how === 'percent') return percent(s);
  if (how === 'raw') return percent(s).replace(/%(2[1-9A-F]|[3-7][0-9A-E])/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return `${percent(s)}${how.broken}`;
}

export const encodeParams = (params: readonly Param[], how: Encoding): string =>
  params.map(([name, value]) => `${encodeComponent(name, how)}=${encodeComponent(value, how)}`).join('&');

const FORM = 'application/x-www-form-urlencoded';

/** The content type a client labels a body with: mostly the right one. */
const contentTypeArb: fc.Arbitrary<string | undefined> = fc.oneof(
  { arbitrary: fc.constant(FORM), weight: 12 },
  {
    arbitrary: fc.constantFrom(
      undefined,
      'application/json',
      'text/plain',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
      `${FORM}; charset=utf-8`,
      `${FORM}; charset=utf-16`,
      `${FORM}; charset=latin1`,
      `${FORM}; charset=bogus-charset`,
      `${FORM};;;`,
      'APPLICATION/X-WWW-FORM-URLENCODED',
      'application/json; charset=utf-32',
      'text/html',
      '*/*',
      '',
      ';',
      'x/y; a="unterminated',
    ),
    weight: 1,
  },
);

type BodyKind = 'form' | 'json' | 'json-any' | 'not-utf8' | 'bytes' | 'multipart' | 'empty';
const bodyKindArb: fc.Arbitrary<BodyKind> = fc.oneof(
  { arbitrary: fc.constant<BodyKind>('form'), weight: 18 },
  { arbitrary: fc.constantFrom<BodyKind>('json', 'json-any', 'not-utf8', 'bytes', 'multipart', 'empty'), weight: 2 },
);

function encodeBody(kind: BodyKind, params: readonly Param[], how: Encoding, any: { json: string; bytes: Uint8Array }): Buffer {
  switch (kind) {
    case 'form':
      return Buffer.from(encodeParams(params, how), 'latin1');
    case 'json':
      return Buffer.from(JSON.stringify(Object.fromEntries(params)));
    case 'json-any':
      return Buffer.from(any.json);
    case 'not-utf8':
      // Form syntax, but every value ends in bytes that are not UTF-8.
      return Buffer.concat(params.map(([k, v], i) => Buffer.concat([Buffer.from(`${i ? '&' : ''}${percent(k)}=`), Buffer.from(v, 'latin1'), Buffer.from([0xff, 0xc0, 0x80])])));
    case 'bytes':
      return Buffer.from(any.bytes);
    case 'multipart':
      return Buffer.from(`${params.map(([k, v]) => `--x\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('')}--x--\r\n`);
    case 'empty':
      return Buffer.alloc(0);
  }
}

/** How the parameters travel: where (the endpoint's usual place, mostly), how they are encoded and labelled. */
export interface Transport {
  readonly where: 'usual' | 'query' | 'body' | 'both';
  readonly encoding: Encoding;
  readonly bodyKind: BodyKind;
  readonly contentType: string | undefined;
  readonly contentEncoding: string | undefined;
  /** Now and then the body goes chunked, of a length the server learns only by reading it. */
  readonly chunked: boolean;
  readonly any: { readonly json: string; readonly bytes: Uint8Array };
}

export const transportArb: fc.Arbitrary<Transport> = fc.record({
  where: fc.oneof({ arbitrary: fc.constant('usual' as const), weight: 16 }, { arbitrary: fc.constantFrom('query' as const, 'body' as const, 'both' as const), weight: 1 }),
  encoding: encodingArb,
  bodyKind: bodyKindArb,
  contentType: contentTypeArb,
  contentEncoding: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 16 },
    { arbitrary: fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'compress', 'gzip, gzip', 'bogus'), weight: 1 },
  ),
  chunked: fc.oneof({ arbitrary: fc.constant(false), weight: 12 }, { arbitrary: fc.constant(true), weight: 1 }),
  any: fc.record({
    json: fc.oneof(fc.json({ maxDepth: 3 }), fc.constantFrom('{', '[', '{"a":', 'null', '"x"', '{"__proto__":{"admin":true}}')),
    bytes: fc.uint8Array({ maxLength: 200 }),
  }),
});

/** The request target and body for `params` sent the `transport` way; `usual` is the query for GET. */
export function place(
  method: string,
  path: string,
  params: readonly Param[],
  t: Transport,
): { path: string; headers: Header[]; body: Buffer | undefined; chunked: boolean } {
  const where = t.where === 'usual' ? (method === 'GET' || method === 'HEAD' ? 'query' : 'body') : t.where;
  const inQuery = where === 'query' || where === 'both';
  const inBody = where === 'body' || where === 'both';
  const query = inQuery ? encodeParams(params, t.encoding) : '';
  return {
    path: query ? `${path}${path.includes('?') ? '&' : '?'}${query}` : path,
    headers: inBody ? [['content-type', t.contentType], ['content-encoding', t.contentEncoding]] : [],
    body: inBody ? encodeBody(t.bodyKind, params, t.encoding, t.any) : undefined,
    chunked: inBody && t.chunked,
  };
}

/** The bytes of a string as latin1 characters: how node:http sends a header value. */
const latin1 = (s: string) => Buffer.from(s, 'utf8').toString('latin1');

/** Header values: printable and latin1 bytes only (all HTTP/1.1 can carry), now and then very long. */
export const headerValue: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: anyValue.map((v) => latin1(v).replace(/[\x00-\x08\x0a-\x1f\x7f]/g, '')), weight: 12 },
  { arbitrary: fc.constantFrom(1_000, 9_000, 17_000).map((n) => 'h'.repeat(n)), weight: 1 },
);

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const headerName: fc.Arbitrary<string> = fc
  .oneof(
    fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/),
    fc.constantFrom('x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'forwarded', 'x-real-ip', 'referer', 'x-http-method-override', 'authorization', 'dpop'),
  )
  .filter((n) => TOKEN.test(n));

export const acceptArb: fc.Arbitrary<string | undefined> = fc.constantFrom(
  undefined,
  'application/json',
  'text/html',
  'text/html,application/xhtml+xml',
  '*/*',
  'image/png',
  'application/json;q=0, text/html;q=0',
  'text/*;q=bogus',
  ';;;,,,',
);

const cookieValue = fc.oneof(fc.base64String({ maxLength: 60 }), headerValue, fc.constantFrom('%ff', '%E0%A4%A', '"unterminated', 'a=b=c'));
const COOKIE_NAMES = ['_session', '_session.sig', '_interaction', '_interaction.sig', '_interaction_resume', '_interaction_resume.sig', 'portcullis.account_state', 'portcullis.account_state.sig'] as const;

/** A Cookie header of our cookies' names (and others) with values that are not theirs. */
export const cookieArb: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...COOKIE_NAMES), fc.stringMatching(/^[a-z_.]{1,10}$/)), cookieValue), { minLength: 1, maxLength: 5 })
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('; '));

/** Extra headers, none in half the requests: random names, cookies, languages, origins, validators. */
export const noiseHeaders: fc.Arbitrary<Header[]> = fc.oneof(
  { arbitrary: fc.constant<Header[]>([]), weight: 1 },
  {
    arbitrary: fc.array(
      fc.oneof(
        fc.tuple(headerName, headerValue),
        fc.tuple(fc.constant('cookie'), cookieArb),
        fc.tuple(fc.constant('accept-language'), fc.oneof(headerValue, fc.constantFrom('fr', 'de-CH, en;q=0.5', '*', 'x'.repeat(300)))),
        fc.tuple(fc.constant('user-agent'), headerValue),
        fc.tuple(fc.constant('origin'), fc.oneof(headerValue, fc.constantFrom('null', 'https://evil.example'))),
        fc.tuple(fc.constant('if-none-match'), fc.oneof(headerValue, fc.constant('*'))),
      ),
      { minLength: 1, maxLength: 3 },
    ),
    weight: 1,
  },
);

/**
 * Methods a client may send, the odd ones included — those Node's HTTP parser knows (`http.METHODS`);
 * it refuses any other (`FOO`, lower-case `get`) with a 400 of its own before the app sees the request.
 */
export const oddMethod: fc.Arbitrary<string> = fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND', 'M-SEARCH', 'PURGE', 'QUERY');

/** The endpoint's own methods mostly, an odd one now and then. */
export const methodArb = (own: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof({ arbitrary: fc.constantFrom(...own), weight: 9 }, { arbitrary: oddMethod, weight: 1 });

/** Assembles a request, keeping only the header entries with a value. */
export function assemble(method: string, path: string, headers: readonly Header[], body?: Buffer | undefined, chunked = false): RawRequest {
  return { method, path, headers: headers.filter((h): h is readonly [string, string] => h[1] !== undefined), body, chunked };
}
