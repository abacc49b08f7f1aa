// signing/: the signing key store — private JWKs in KEYS_DIR: generate, load, list, publish.
export { loadSigningKeys } from './keystore.ts';
export {
  generateKeyFiles,
  generateSigningKey,
  loadKeyFiles,
  publicPart,
  KeyFileError,
  SIGNING_ALGS,
  type PrivateSigningKey,
  type SigningAlg,
} from './key-files.ts';
