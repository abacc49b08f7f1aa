/**
 * Crafted JWTs for the three places the server reads one a client made: `client_assertion`
 * (private_key_jwt, RFC 7523), `id_token_hint` at /session/end, and the `DPoP` proof (RFC 9449).
 * Each starts as a well-formed token of its kind — a third stay so, to get past the first checks — and
 * the rest get one to three defects: `alg: none`, HS256 keyed with the server's own public key material
 * (algorithm confusion), a key other than the one the `kid` names, a wrong `typ`, expired, `iat` in the
 * future, an unknown or odd `kid`, an oversized payload, odd or missing claims, a private or symmetric
 * `jwk`, and compact serializations that are not JWTs at all. Signatures are made with node:crypto,
 * because jose refuses to produce most of these.
 */
import { constants, createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, type JsonWebKey, type KeyObject } from 'node:crypto';
import fc from 'fast-check';

/** A key the suite can sign with, with its public JWK (`kid` and `alg` set). */
export interface SigningKey {
  readonly key: KeyObject;
  readonly alg: string;
  readonly kid: string;
  readonly publicJwk: JsonWebKey;
}

export function generatedKey(kind: 'ec' | 'rsa', kid: string): SigningKey {
  const pair = kind === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const alg = kind === 'ec' ? 'ES256' : 'RS256';
  return { key: pair.privateKey, alg, kid, publicJwk: { ...pair.publicKey.export({ format: 'jwk' }), kid, alg } };
}

/** A private JWK (the server's test keys) as a SigningKey. */
export function fromPrivateJwk(jwk: JsonWebKey & { kid: string; alg: string }): SigningKey {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwk;
  return { key: createPrivateKey({ key: jwk, format: 'jwk' }), alg: jwk.alg, kid: jwk.kid, publicJwk: pub };
}

/** The forms in which a verifier's public key might be misused as an HMAC secret. */
export function publicKeyMaterial(jwks: ReadonlyArray<JsonWebKey>): string[] {
  return [
    JSON.stringify({ keys: jwks }),
    ...jwks.map((k) => JSON.stringify(k)),
    ...jwks.map((k) => createPublicKey({ key: k, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString()),
    ...jwks.flatMap((k) => (typeof k.n === 'string' ? [k.n] : [])),
  ];
}

export interface JwtContext {
  /** The key a well-formed token of this kind is signed with. */
  readonly rightKey: SigningKey;
  /** Someone else's key (the attacker's). */
  readonly otherKey: SigningKey;
  /** Public key material of the server that a confused verifier might take as an HMAC secret. */
  readonly publicMaterial: readonly string[];
  /** Kids that exist, but name another key. */
  readonly otherKids: readonly string[];
}

const b64 = (v: Buffer | string) => Buffer.from(v).toString('base64url');

/** A JWS signature over `input`, or random bytes when the key cannot make one for `alg`. */
function signature(alg: string, key: KeyObject | Buffer, input: string): Buffer {
  try {
    if (/^HS(256|384|512)$/.test(alg)) return createHmac(`sha${alg.slice(2)}`, key).update(input).digest();
    if (!('asymmetricKeyType' in key)) return Buffer.from(randomUUID());
    if (alg === 'EdDSA') return sign(null, Buffer.from(input), key);
    const hash = `sha${alg.slice(2)}`;
    if (alg.startsWith('ES')) return sign(hash, Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
    if (alg.startsWith('PS')) return sign(hash, Buffer.from(input), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(2)) / 8 });
    return sign(hash, Buffer.from(input), key);
  } catch {
    return Buffer.from(randomUUID());
  }
}

const DEFECTS = [
  'alg-none',
  'alg-none-signed',
  'hs-public-key',
  'other-key',
  'garbage-signature',
  'unknown-alg',
  'wrong-typ',
  'unknown-kid',
  'other-kid',
  'odd-kid',
  'expired',
  'issued-in-future',
  'not-yet-valid',
  'odd-time',
  'oversized',
  'odd-claim',
  'missing-claim',
  'crit',
  'jku',
  'jwk-private',
  'jwk-other',
  'jwk-symmetric',
  'no-jwk',
  'four-parts',
  'two-parts',
  'bad-base64',
  'header-not-json',
  'payload-not-json',
  'empty',
] as const;
type Defect = (typeof DEFECTS)[number];

/** The values a defect picks from, drawn once per token. */
interface Picks {
  readonly n: number;
  readonly oddValue: unknown;
  readonly typ: unknown;
  readonly alg: string;
  readonly kid: unknown;
  readonly pad: number;
}

const picksArb: fc.Arbitrary<Picks> = fc.record({
  n: fc.nat(),
  oddValue: fc.constantFrom<unknown>('', null, 0, -1, 1e308, true, [], {}, ['a', 'b'], 'x'.repeat(3_000), '\u0000'),
  typ: fc.constantFrom<unknown>('JWT', 'dpop+jwt', 'DPOP+JWT', 'at+jwt', 'application/dpop+jwt', 'wrong', '', 1),
  alg: fc.constantFrom('RS1', 'XX', '', 'NONE', 'None', 'HS256', 'ES512', 'RSA-OAEP'),
  kid: fc.constantFrom<unknown>('', 'k'.repeat(5_000), 42, null, ['a'], { a: 1 }),
  pad: fc.constantFrom(5_000, 12_000, 60_000),
});

const defectsArb: fc.Arbitrary<Defect[]> = fc.oneof(
  { arbitrary: fc.constant<Defect[]>([]), weight: 1 },
  { arbitrary: fc.array(fc.constantFrom(...DEFECTS), { minLength: 1, maxLength: 3 }), weight: 2 },
);

interface Draft {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signer: 'right' | 'none' | 'none-signed' | 'hs' | 'other' | 'garbage';
  structure: 'jws' | 'four-parts' | 'two-parts' | 'bad-base64' | 'header-not-json' | 'payload-not-json' | 'empty';
}

/** The times a defect moves, per kind: DPoP proofs have only `iat`. */
const TIME_CLAIMS = ['iat', 'exp', 'nbf'] as const;

function applyDefect(d: Draft, defect: Defect, p: Picks, ctx: JwtContext): void {
  const now = Math.floor(Date.now() / 1000);
  const claims = Object.keys(d.payload);
  switch (defect) {
    case 'alg-none':
      d.header.alg = 'none';
      d.signer = 'none';
      break;
    case 'alg-none-signed':
      d.header.alg = 'none';
      d.signer = 'none-signed';
      break;
    case 'hs-public-key':
      d.header.alg = ['HS256', 'HS384', 'HS512'][p.n % 3];
      d.signer = 'hs';
      break;
    case 'other-key':
      d.signer = 'other';
      break;
    case 'garbage-signature':
      d.signer = 'garbage';
      break;
    case 'unknown-alg':
      d.header.alg = p.alg;
      break;
    case 'wrong-typ':
      d.header.typ = p.typ;
      break;
    case 'unknown-kid':
      d.header.kid = `unknown-${p.n}`;
      break;
    case 'other-kid':
      d.header.kid = ctx.otherKids[p.n % ctx.otherKids.length];
      break;
    case 'odd-kid':
      d.header.kid = p.kid;
      break;
    case 'expired':
      if ('exp' in d.payload) d.payload.exp = now - 3_600;
      d.payload.iat = now - 86_400;
      break;
    case 'issued-in-future':
      d.payload.iat = now + [301, 3_600, 315_360_000][p.n % 3]!;
      break;
    case 'not-yet-valid':
      d.payload.nbf = now + 3_600;
      break;
    case 'odd-time':
      d.payload[TIME_CLAIMS[p.n % TIME_CLAIMS.length]!] = p.oddValue;
      break;
    case 'oversized':
      d.payload.pad = 'p'.repeat(p.pad);
      break;
    case 'odd-claim':
      if (claims.length) d.payload[claims[p.n % claims.length]!] = p.oddValue;
      break;
    case 'missing-claim':
      if (claims.length) delete d.payload[claims[p.n % claims.length]!];
      break;
    case 'crit':
      Object.assign(d.header, p.n % 2 ? { crit: ['exp'] } : { b64: false, crit: ['b64'] });
      break;
    case 'jku':
      // A key URL the server must never fetch (nothing listens there).
      Object.assign(d.header, p.n % 2 ? { jku: 'http://127.0.0.1:9/jwks' } : { x5u: 'http://127.0.0.1:9/cert', x5c: ['AAAA'] });
      break;
    case 'jwk-private':
      d.header.jwk = ctx.rightKey.key.export({ format: 'jwk' });
      break;
    case 'jwk-other':
      d.header.jwk = ctx.otherKey.publicJwk;
      break;
    case 'jwk-symmetric':
      d.header.jwk = [{ kty: 'oct', k: 'c2VjcmV0' }, { kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' }, 'not an object'][p.n % 3];
      break;
    case 'no-jwk':
      delete d.header.jwk;
      break;
    default:
      d.structure = defect;
  }
}

function serialize(d: Draft, ctx: JwtContext, hsMaterial: number): string {
  if (d.structure === 'empty') return '';
  const header = d.structure === 'header-not-json' ? b64('{"alg":') : b64(JSON.stringify(d.header));
  const payload = d.structure === 'payload-not-json' ? b64('not json') : b64(JSON.stringify(d.payload));
  const input = `${header}.${payload}`;
  const sig =
    d.signer === 'right'
      ? signature(String(d.header.alg), ctx.rightKey.key, input)
      : d.signer === 'none'
        ? Buffer.alloc(0)
        : d.signer === 'none-signed'
          ? signature(ctx.rightKey.alg, ctx.rightKey.key, input)
          : d.signer === 'hs'
            ? signature(String(d.header.alg), Buffer.from(ctx.publicMaterial[hsMaterial % ctx.publicMaterial.length] ?? ''), input)
            : d.signer === 'other'
              ? signature(ctx.otherKey.alg, ctx.otherKey.key, input)
              : Buffer.from(randomUUID());
  const jws = `${input}.${b64(sig)}`;
  switch (d.structure) {
    case 'four-parts':
      return `${jws}.${b64('x')}`;
    case 'two-parts':
      return input;
    case 'bad-base64':
      return jws.replace(/[A-Za-z]/, '!').replace('.', '.=+/');
    default:
      return jws;
  }
}

/** A token of one kind: `build` gives the well-formed header and payload, the defects break it. */
function craftedJwt(ctx: JwtContext, build: (now: number) => Pick<Draft, 'header' | 'payload'>): fc.Arbitrary<string> {
  return fc.tuple(defectsArb, picksArb, fc.nat()).map(([defects, picks, hsMaterial]) => {
    const draft: Draft = { ...build(Math.floor(Date.now() / 1000)), signer: 'right', structure: 'jws' };
    for (const defect of defects) applyDefect(draft, defect, picks, ctx);
    return serialize(draft, ctx, hsMaterial);
  });
}

/** A DPoP proof (RFC 9449 §4.2) for `htm` and `htu`, optionally bound to an access token (`ath`). */
export function dpopProof(ctx: JwtContext, htm: string, htu: string): fc.Arbitrary<string> {
  return craftedJwt(ctx, (now) => ({
    header: { alg: ctx.rightKey.alg, typ: 'dpop+jwt', jwk: ctx.rightKey.publicJwk },
    payload: { htm, htu, iat: now, jti: randomUUID() },
  }));
}

/** A client assertion (RFC 7523 §3) of `clientId` for `audience`. */
export function clientAssertion(ctx: JwtContext, clientId: string, audience: string): fc.Arbitrary<string> {
  return craftedJwt(ctx, (now) => ({
    header: { alg: ctx.rightKey.alg, kid: ctx.rightKey.kid },
    payload: { iss: clientId, sub: clientId, aud: audience, iat: now, exp: now + 300, jti: randomUUID() },
  }));
}

/** An ID token as a client hands it back in `id_token_hint`, made with the server's own key. */
export function idTokenHint(ctx: JwtContext, issuer: string, clientId: string, sub: string): fc.Arbitrary<string> {
  return craftedJwt(ctx, (now) => ({
    header: { alg: ctx.rightKey.alg, kid: ctx.rightKey.kid },
    payload: { iss: issuer, sub, aud: clientId, iat: now, exp: now + 300, sid: randomUUID() },
  }));
}
