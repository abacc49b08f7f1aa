/**
 * The rotation schedule of the keys in KEYS_DIR, in `manifest.json` beside them. Every instance that
 * shares the folder reads the same schedule, and because each step is a point in time (not a flag
 * someone flips), every instance agrees on which key signs at any moment without talking to the others.
 * Key files the manifest does not mention (from before rotation existed) count as active since ever.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { SIGNING_ALGS } from './key-files.ts';

const entry = z.object({
  kid: z.string().min(1),
  alg: z.enum(SIGNING_ALGS),
  createdAt: z.iso.datetime(),
  /** From this moment the key signs (until a newer key of its algorithm activates). */
  activateAt: z.iso.datetime(),
  /** From this moment the key is no longer published, and its file may be removed. */
  retireAt: z.iso.datetime().optional(),
});

const manifestSchema = z.object({ version: z.literal(1), keys: z.array(entry) });

export type ManifestEntry = z.infer<typeof entry>;
export type Manifest = z.infer<typeof manifestSchema>;

export const MANIFEST_FILE = 'manifest.json';

export class ManifestError extends Error {
  override readonly name = 'ManifestError';
}

export async function readManifest(dir: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, keys: [] };
    throw err;
  }
  const parsed = manifestSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new ManifestError(`${join(dir, MANIFEST_FILE)} is not a valid key manifest: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** Written to a temporary file and renamed, so a reader never sees half a manifest. */
export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  const path = join(dir, MANIFEST_FILE);
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, path);
}
