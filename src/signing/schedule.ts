/**
 * Which key does what at a given moment, computed from the manifest alone:
 * - `next`: published in /jwks, not signing yet (its activateAt is in the future);
 * - `current`: the newest activated key of its algorithm — it signs;
 * - `previous`: activated earlier, superseded, still published until its retireAt, so every token it
 *   signed still verifies;
 * - `retired`: past its retireAt — no longer published.
 * The published order puts each algorithm's current key first: oidc-provider signs with the first key
 * of the algorithm in that order.
 */
import type { PrivateSigningKey } from './key-files.ts';
import type { Manifest, ManifestEntry } from './manifest.ts';

export type KeyState = 'next' | 'current' | 'previous' | 'retired';

export interface ScheduledKey {
  readonly key: PrivateSigningKey;
  readonly state: KeyState;
  readonly activateAt: number;
  readonly retireAt: number | undefined;
}

const time = (iso: string | undefined): number | undefined => (iso === undefined ? undefined : Date.parse(iso));

export function schedule(keys: readonly PrivateSigningKey[], manifest: Manifest, now: number): ScheduledKey[] {
  const entries = new Map<string, ManifestEntry>(manifest.keys.map((e) => [e.kid, e]));
  const timed = keys.map((key) => {
    const e = entries.get(key.kid);
    return { key, activateAt: time(e?.activateAt) ?? 0, retireAt: time(e?.retireAt) };
  });
  const currentOf = new Map<string, string>();
  for (const k of timed) {
    if (k.activateAt > now || (k.retireAt !== undefined && k.retireAt <= now)) continue;
    const best = timed.find((t) => t.key.kid === currentOf.get(k.key.alg));
    if (!best || k.activateAt > best.activateAt) currentOf.set(k.key.alg, k.key.kid);
  }
  const stateOf = (k: (typeof timed)[number]): KeyState => {
    if (k.retireAt !== undefined && k.retireAt <= now) return 'retired';
    if (k.activateAt > now) return 'next';
    return currentOf.get(k.key.alg) === k.key.kid ? 'current' : 'previous';
  };
  return timed.map((k) => ({ ...k, state: stateOf(k) }));
}

const ORDER: Record<KeyState, number> = { current: 0, next: 1, previous: 2, retired: 3 };

/** The keys to publish and give oidc-provider, in signing order. */
export function publishedKeys(scheduled: readonly ScheduledKey[]): PrivateSigningKey[] {
  return scheduled
    .filter((s) => s.state !== 'retired')
    .sort((a, b) => ORDER[a.state] - ORDER[b.state] || b.activateAt - a.activateAt)
    .map((s) => s.key);
}

/** The next moment at which some key changes state, if any. */
export function nextTransition(scheduled: readonly ScheduledKey[], now: number): number | undefined {
  const times = scheduled.flatMap((s) => [s.activateAt, s.retireAt ?? Infinity]).filter((t) => t > now && Number.isFinite(t));
  return times.length > 0 ? Math.min(...times) : undefined;
}

export type KeyStep = 'key.published' | 'key.activated' | 'key.retired';

/** The rotation steps between two readings of the schedule, for the security log. */
export function keySteps(before: readonly ScheduledKey[], after: readonly ScheduledKey[]): Array<{ step: KeyStep; kid: string; alg: string }> {
  const was = new Map(before.map((s) => [s.key.kid, s.state]));
  const steps: Array<{ step: KeyStep; kid: string; alg: string }> = [];
  for (const s of after) {
    const previous = was.get(s.key.kid);
    const step: KeyStep | undefined =
      s.state === 'retired' && previous !== 'retired' && previous !== undefined
        ? 'key.retired'
        : s.state === 'current' && previous === 'next'
          ? 'key.activated'
          : previous === undefined && s.state !== 'retired'
            ? 'key.published'
            : undefined;
    if (step) steps.push({ step, kid: s.key.kid, alg: s.key.alg });
  }
  // A key whose file was removed after retiring simply disappears.
  for (const s of before) {
    if (s.state !== 'retired' && !after.some((a) => a.key.kid === s.key.kid)) steps.push({ step: 'key.retired', kid: s.key.kid, alg: s.key.alg });
  }
  return steps;
}
