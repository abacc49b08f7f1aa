// accounts/: people who sign in — argon2id hashing, the password policy, email normalization, password sign-in, login throttling, their claims.
export { normalizeEmail } from './email.ts';
export { createArgon2Hasher, type PasswordHasher, type Argon2Params } from './password-hasher.ts';
export {
  checkNewPassword,
  MIN_PASSWORD_LENGTH,
  RECOMMENDED_PASSWORD_LENGTH,
  MAX_PASSWORD_LENGTH,
  type PasswordProblem,
} from './password-policy.ts';
export { createAuthenticator, type Authenticator } from './authenticate.ts';
export { accountClaims, SCOPE_CLAIMS } from './claims.ts';
export {
  backoffSeconds,
  createLoginThrottle,
  THROTTLE_WINDOW_MS,
  type Admission,
  type LoginThrottle,
  type ThrottlePolicy,
  type ThrottleReason,
} from './throttle.ts';
export { accountKey, addressKey, emailDigest } from './throttle-keys.ts';
