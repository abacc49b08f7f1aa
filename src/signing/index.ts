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
export { startKeyRing, readKeySchedule, type KeyRing } from './key-ring.ts';
export { rotateKeys, pruneRetiredKeys, RotationInProgress, type RotationTimes, type RotationResult } from './rotate.ts';
export { schedule, publishedKeys, keySteps, type KeyState, type ScheduledKey, type KeyStep } from './schedule.ts';
export { readManifest, ManifestError } from './manifest.ts';
export { rotationTimes } from './rotation-times.ts';
export { startAutoRotation, dueForRotation } from './auto-rotate.ts';
