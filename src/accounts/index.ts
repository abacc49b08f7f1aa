// accounts/: people who sign in — argon2id hashing, email normalization, password sign-in, their claims.
export { normalizeEmail } from './email.ts';
export { createArgon2Hasher, type PasswordHasher, type Argon2Params } from './password-hasher.ts';
export { createAuthenticator, type Authenticator } from './authenticate.ts';
export { accountClaims, SCOPE_CLAIMS } from './claims.ts';
