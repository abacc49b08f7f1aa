// store/: the storage ports every backend implements, and the backends (memory/ now, mongo/ next).
export type * from './ports.ts';
export { createMemoryStore } from './memory/index.ts';
export { CLOCK_TOLERANCE_SECONDS, GRANTABLE_MODELS, PlainClientSecretError } from './ports.ts';
