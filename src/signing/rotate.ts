/**
 * `keys rotate`: a new key of every algorithm joins as `next` — published at once, signing only after
 * the pre-publish window (at least the JWKS cache lifetime, so every verifier has fetched it first). The
 * key it replaces is scheduled to retire once every token it can still sign has expired. Retired key
 * files are removed. A lock file keeps two instances (or a scheduled rotation and an operator) from
 * rotating at the same time.
 */
import { open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { generateKeyFiles, loadKeyFiles, SIGNING_ALGS } from './key-files.ts';
import { readManifest, writeManifest, type Manifest } from './manifest.ts';
import { schedule } from './schedule.ts';

export interface RotationTimes {
  /** How long a new key is published before it signs (ms); at least the JWKS cache lifetime. */
  readonly prePublishMs: number;
  /** How long a replaced key stays published after its successor activates (ms): the longest token lifetime plus tolerance. */
  readonly retireAfterMs: number;
}

export interface RotationResult {
  readonly added: ReadonlyArray<{ kid: string; alg: string; activateAt: string }>;
  readonly retiring: ReadonlyArray<{ kid: string; alg: string; retireAt: string }>;
  readonly removed: readonly string[];
}

export class RotationInProgress extends Error {
  override readonly name = 'RotationInProgress';
}

const LOCK = '.rotate.lock';
const STALE_LOCK_MS = 60_000;

async function withLock<T>(dir: string, now: () => number, work: () => Promise<T>): Promise<T> {
  const path = join(dir, LOCK);
  const stale = await stat(path).then((s) => now() - s.mtimeMs > STALE_LOCK_MS, () => false);
  if (stale) await rm(path, { force: true });
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch {
    throw new RotationInProgress(`another rotation holds ${path}; try again in a minute`);
  }
  try {
    return await work();
  } finally {
    await handle.close();
    await rm(path, { force: true });
  }
}

/** Removes retired keys' files and manifest entries; returns their kids. */
async function prune(dir: string, manifest: Manifest, now: number): Promise<{ manifest: Manifest; removed: string[] }> {
  const { keys } = await loadKeyFiles(dir);
  const retired = schedule(keys, manifest, now).filter((s) => s.state === 'retired').map((s) => s.key.kid);
  for (const kid of retired) await rm(join(dir, `${kid}.json`), { force: true });
  return { manifest: { ...manifest, keys: manifest.keys.filter((e) => !retired.includes(e.kid)) }, removed: retired };
}

export async function rotateKeys(dir: string, times: RotationTimes, now: () => number = Date.now): Promise<RotationResult> {
  return withLock(dir, now, async () => {
    const at = now();
    const { keys } = await loadKeyFiles(dir);
    const before = await readManifest(dir);
    const scheduled = schedule(keys, before, at);
    const pending = scheduled.find((s) => s.state === 'next');
    if (pending) {
      throw new RotationInProgress(`key ${pending.key.kid} is still waiting to activate at ${new Date(pending.activateAt).toISOString()}`);
    }
    const activateAt = new Date(at + times.prePublishMs).toISOString();
    const retireAt = new Date(at + times.prePublishMs + times.retireAfterMs).toISOString();
    const made = await generateKeyFiles(dir, SIGNING_ALGS);
    const replaced = scheduled.filter((s) => s.state === 'current');
    const manifest: Manifest = {
      version: 1,
      keys: [
        // Keys from before the manifest existed get an entry now, so their retirement can be scheduled.
        ...scheduled
          .filter((s) => !before.keys.some((e) => e.kid === s.key.kid))
          .map((s) => ({ kid: s.key.kid, alg: s.key.alg, createdAt: new Date(at).toISOString(), activateAt: new Date(s.activateAt).toISOString() })),
        ...before.keys,
        ...made.map((k) => ({ kid: k.kid, alg: k.alg, createdAt: new Date(at).toISOString(), activateAt })),
      ].map((e) => (replaced.some((r) => r.key.kid === e.kid) ? { ...e, retireAt } : e)),
    };
    const pruned = await prune(dir, manifest, at);
    await writeManifest(dir, pruned.manifest);
    return {
      added: made.map((k) => ({ kid: k.kid, alg: k.alg, activateAt })),
      retiring: replaced.map((r) => ({ kid: r.key.kid, alg: r.key.alg, retireAt })),
      removed: pruned.removed,
    };
  });
}

/** Drops retired keys without rotating (the server does this as keys retire). */
export async function pruneRetiredKeys(dir: string, now: () => number = Date.now): Promise<string[]> {
  return withLock(dir, now, async () => {
    const pruned = await prune(dir, await readManifest(dir), now());
    if (pruned.removed.length > 0) await writeManifest(dir, pruned.manifest);
    return pruned.removed;
  });
}
