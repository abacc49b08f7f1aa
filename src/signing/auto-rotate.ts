/**
 * The optional schedule (KEYS_ROTATE_EVERY_DAYS): each instance checks hourly whether the signing keys
 * are older than the interval and, if so, rotates. The rotation lock and the "a key is already waiting"
 * check make sure that of several instances only one rotates; the others see the result on their next
 * KEYS_DIR read. Retired key files are pruned on the same tick.
 */
import { pruneRetiredKeys, rotateKeys, RotationInProgress, type RotationResult, type RotationTimes } from './rotate.ts';
import type { KeyRing } from './key-ring.ts';

export interface AutoRotationOptions {
  readonly dir: string;
  readonly everyDays: number | undefined;
  readonly ring: KeyRing;
  readonly times: () => Promise<RotationTimes>;
  readonly onRotated: (result: RotationResult) => void;
  readonly onPruned: (kids: readonly string[]) => void;
  readonly onError: (err: unknown) => void;
  readonly clock?: () => number;
  readonly checkEveryMs?: number;
}

export function dueForRotation(ring: KeyRing, everyDays: number, now: number): boolean {
  if (ring.scheduled.some((s) => s.state === 'next')) return false;
  const current = ring.scheduled.filter((s) => s.state === 'current');
  return current.length > 0 && current.every((s) => now - s.activateAt >= everyDays * 86_400_000);
}

export function startAutoRotation(options: AutoRotationOptions): { stop(): void; tick(): Promise<void> } {
  const clock = options.clock ?? Date.now;
  const tick = async () => {
    try {
      const removed = await pruneRetiredKeys(options.dir, clock);
      if (removed.length > 0) options.onPruned(removed);
      if (options.everyDays !== undefined && dueForRotation(options.ring, options.everyDays, clock())) {
        options.onRotated(await rotateKeys(options.dir, await options.times(), clock));
      }
      await options.ring.refresh();
    } catch (err) {
      if (!(err instanceof RotationInProgress)) options.onError(err);
    }
  };
  const timer = setInterval(() => void tick(), options.checkEveryMs ?? 3_600_000);
  timer.unref();
  return { stop: () => clearInterval(timer), tick };
}
