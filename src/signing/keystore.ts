/**
 * Loads the signing keys at start. Dev mode generates them into KEYS_DIR on first start; production
 * refuses to start without persistent keys of every algorithm, and says how to make them.
 */
import { generateKeyFiles, KeyFileError, loadKeyFiles, SIGNING_ALGS, type PrivateSigningKey } from './key-files.ts';
import { readKeySchedule } from './key-ring.ts';

export interface KeyStoreOptions {
  readonly dir: string;
  readonly allowGenerate: boolean;
  readonly warn: (message: string) => void;
}

export async function loadSigningKeys({ dir, allowGenerate, warn }: KeyStoreOptions): Promise<readonly PrivateSigningKey[]> {
  let { keys, looseFiles } = await loadKeyFiles(dir);
  const missing = SIGNING_ALGS.filter((alg) => !keys.some((k) => k.alg === alg));
  if (missing.length > 0) {
    if (!allowGenerate) {
      throw new KeyFileError(
        `no ${missing.join(' and ')} signing key in KEYS_DIR (${dir}): run \`npm run cli -- keys generate\` and keep that folder on persistent storage`,
      );
    }
    await generateKeyFiles(dir, missing);
    warn(`generated new signing keys in ${dir} (dev mode)`);
    ({ keys, looseFiles } = await loadKeyFiles(dir));
  }
  for (const file of looseFiles) warn(`signing key file ${file} is readable by other users: chmod 600 it`);
  // In signing order, as the rotation schedule (manifest.ts) says.
  const { keys: published, scheduled } = await readKeySchedule(dir, Date.now());
  const unsigned = SIGNING_ALGS.filter((alg) => !scheduled.some((s) => s.key.alg === alg && s.state === 'current'));
  if (unsigned.length > 0) {
    throw new KeyFileError(`no active ${unsigned.join(' and ')} signing key in KEYS_DIR (${dir}): every such key is scheduled for later or retired`);
  }
  return published;
}
