/**
 * Signing keys on disk: one private JWK per file in KEYS_DIR, written with mode 0600. ID tokens need
 * RS256 (OpenID Connect Core §15.1), JWT access tokens use ES256; both are generated together.
 */
import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

export const SIGNING_ALGS = ['RS256', 'ES256'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

export interface PrivateSigningKey extends JWK {
  readonly kid: string;
  readonly alg: SigningAlg;
  readonly use: 'sig';
}

export interface LoadedKeys {
  readonly keys: readonly PrivateSigningKey[];
  /** Files readable by group or others: loaded, but worth a warning. */
  readonly looseFiles: readonly string[];
}

export class KeyFileError extends Error {
  override readonly name = 'KeyFileError';
}

export async function generateSigningKey(alg: SigningAlg): Promise<PrivateSigningKey> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS256' ? { modulusLength: 2048 } : {}) });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { ...jwk, kid, alg, use: 'sig' };
}

/** Writes a new key of each algorithm (default: every supported one) into `dir`; returns them. */
export async function generateKeyFiles(dir: string, algs: readonly SigningAlg[] = SIGNING_ALGS): Promise<PrivateSigningKey[]> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const keys: PrivateSigningKey[] = [];
  for (const alg of algs) {
    const key = await generateSigningKey(alg);
    const path = join(dir, `${key.kid}.json`);
    // `wx`: never overwrite an existing key file.
    await writeFile(path, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    await chmod(path, 0o600);
    keys.push(key);
  }
  return keys;
}

function parseKey(path: string, text: string): PrivateSigningKey {
  let jwk: unknown;
  try {
    jwk = JSON.parse(text);
  } catch {
    throw new KeyFileError(`signing key file ${path} is not valid JSON`);
  }
  const k = jwk as Partial<PrivateSigningKey>;
  if (typeof k !== 'object' || k === null || typeof k.kid !== 'string' || typeof k.d !== 'string') {
    throw new KeyFileError(`signing key file ${path} is not a private JWK with a kid`);
  }
  if (!SIGNING_ALGS.includes(k.alg as SigningAlg)) {
    throw new KeyFileError(`signing key file ${path} has alg ${String(k.alg)}; expected one of ${SIGNING_ALGS.join(', ')}`);
  }
  return { ...k, use: 'sig' } as PrivateSigningKey;
}

/** Reads every `*.json` key in `dir` (a missing folder is an empty one), RS256 first. */
export async function loadKeyFiles(dir: string): Promise<LoadedKeys> {
  let names: string[];
  try {
    // manifest.json (the rotation schedule) sits beside the keys and is not one.
    names = (await readdir(dir)).filter((n) => n.endsWith('.json') && n !== 'manifest.json').sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { keys: [], looseFiles: [] };
    throw new KeyFileError(`cannot read KEYS_DIR ${dir}: ${(err as Error).message}`);
  }
  const keys: PrivateSigningKey[] = [];
  const looseFiles: string[] = [];
  for (const name of names) {
    const path = join(dir, name);
    keys.push(parseKey(path, await readFile(path, 'utf8')));
    if (((await stat(path)).mode & 0o077) !== 0) looseFiles.push(path);
  }
  keys.sort((a, b) => SIGNING_ALGS.indexOf(a.alg) - SIGNING_ALGS.indexOf(b.alg));
  return { keys, looseFiles };
}

/** The public half of a key, as published at /jwks. */
export function publicPart(key: PrivateSigningKey): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = key;
  return pub;
}
