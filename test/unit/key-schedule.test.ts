import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  dueForRotation,
  generateKeyFiles,
  loadSigningKeys,
  readKeySchedule,
  readManifest,
  rotateKeys,
  RotationInProgress,
  startAutoRotation,
  startKeyRing,
} from '../../src/signing/index.ts';

const dir = () => join(mkdtempSync(join(tmpdir(), 'pc-sched-')), 'keys');
const times = { prePublishMs: 60_000, retireAfterMs: 600_000 };
const T0 = Date.UTC(2026, 0, 1);

test('a rotation publishes new keys as next, activates them after the pre-publish window, retires the old ones', async () => {
  const keysDir = dir();
  const original = await generateKeyFiles(keysDir);
  const result = await rotateKeys(keysDir, times, () => T0);
  expect(result.added.map((k) => k.alg).sort()).toEqual(['ES256', 'RS256']);
  expect(result.retiring.map((k) => k.kid).sort()).toEqual(original.map((k) => k.kid).sort());

  const stateAt = async (t: number) => Object.fromEntries((await readKeySchedule(keysDir, t)).scheduled.map((s) => [s.key.kid, s.state]));
  const newKids = result.added.map((k) => k.kid);
  const oldKids = original.map((k) => k.kid);

  // Before activation: the old keys sign (first in order), the new ones are published after them.
  let { keys, scheduled } = await readKeySchedule(keysDir, T0 + 1000);
  expect(keys).toHaveLength(4);
  for (const kid of newKids) expect((await stateAt(T0 + 1000))[kid]).toBe('next');
  for (const alg of ['RS256', 'ES256']) expect(keys.find((k) => k.alg === alg)?.kid).toBe(original.find((k) => k.alg === alg)?.kid);

  // After the window: the new keys sign, the old ones are still published.
  ({ keys, scheduled } = await readKeySchedule(keysDir, T0 + 60_001));
  for (const alg of ['RS256', 'ES256']) expect(keys.find((k) => k.alg === alg)?.kid).toBe(result.added.find((k) => k.alg === alg)?.kid);
  for (const kid of oldKids) expect(scheduled.find((s) => s.key.kid === kid)?.state).toBe('previous');

  // After every token the old keys signed has expired: retired, no longer published.
  ({ keys } = await readKeySchedule(keysDir, T0 + 660_001));
  expect(keys.map((k) => k.kid).sort()).toEqual([...newKids].sort());
});

test('a second rotation is refused while a key waits to activate; a later one prunes retired files', async () => {
  const keysDir = dir();
  await generateKeyFiles(keysDir);
  const first = await rotateKeys(keysDir, times, () => T0);
  await expect(rotateKeys(keysDir, times, () => T0 + 1000)).rejects.toThrow(RotationInProgress);
  const second = await rotateKeys(keysDir, times, () => T0 + 61_000);
  // Long after: the original keys and the first generation are retired; the third rotation removes their files.
  const third = await rotateKeys(keysDir, times, () => T0 + 2_000_000);
  expect(third.removed).toEqual(expect.arrayContaining(first.added.map((k) => k.kid)));
  expect(third.removed).toHaveLength(4);
  const files = readdirSync(keysDir);
  for (const kid of third.removed) expect(files).not.toContain(`${kid}.json`);
  const kept = (await readManifest(keysDir)).keys.map((e) => e.kid).sort();
  expect(kept).toEqual([...second.added, ...third.added].map((k) => k.kid).sort());
});

test('start-up signs with the active keys once the old ones have retired', async () => {
  const keysDir = dir();
  await generateKeyFiles(keysDir);
  await rotateKeys(keysDir, { prePublishMs: 1000, retireAfterMs: 1 }, () => Date.now() - 10_000);
  // The original keys retired long ago; the new ones are active: fine.
  await expect(loadSigningKeys({ dir: keysDir, allowGenerate: false, warn: () => {} })).resolves.toHaveLength(2);
});

test('the key ring tells its subscribers about a rotation without a restart', async () => {
  const keysDir = dir();
  await generateKeyFiles(keysDir);
  const ring = await startKeyRing({ dir: keysDir, pollMs: 50, onError: (err) => { throw err; } });
  try {
    const seen: string[][] = [];
    ring.subscribe((keys) => seen.push(keys.map((k) => k.kid)));
    const result = await rotateKeys(keysDir, { prePublishMs: 300, retireAfterMs: 60_000 });
    await ring.refresh();
    expect(seen.at(-1)).toEqual(expect.arrayContaining(result.added.map((k) => k.kid)));
    // Activation reorders the keys (the new ones first) at the scheduled moment, by itself.
    await new Promise((r) => setTimeout(r, 500));
    expect(seen.at(-1)?.slice(0, 2).sort()).toEqual(result.added.map((k) => k.kid).sort());
  } finally {
    ring.stop();
  }
});

test('the schedule rotates when the signing keys are older than the interval, once', async () => {
  const keysDir = dir();
  await generateKeyFiles(keysDir);
  await rotateKeys(keysDir, { prePublishMs: 0, retireAfterMs: 1000 }, () => T0);
  const ring = await startKeyRing({ dir: keysDir, pollMs: 60_000, clock: () => T0 + 31 * 86_400_000, onError: () => {} });
  try {
    expect(dueForRotation(ring, 30, T0 + 29 * 86_400_000)).toBe(false);
    expect(dueForRotation(ring, 30, T0 + 31 * 86_400_000)).toBe(true);
    const rotated: number[] = [];
    const auto = startAutoRotation({
      dir: keysDir,
      everyDays: 30,
      ring,
      times: async () => times,
      clock: () => T0 + 31 * 86_400_000,
      onRotated: (r) => rotated.push(r.added.length),
      onPruned: () => {},
      onError: (err) => { throw err; },
    });
    await auto.tick();
    await auto.tick(); // the new keys now wait as `next`: no second rotation
    auto.stop();
    expect(rotated).toEqual([2]);
  } finally {
    ring.stop();
  }
});
