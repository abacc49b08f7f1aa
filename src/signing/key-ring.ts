/**
 * The signing keys of a running server: what KEYS_DIR and its manifest say at this moment, in signing
 * order. The ring re-reads the folder every poll interval and also wakes at the next scheduled state
 * change, so each step (a key published, activated, retired) reaches the server without a restart, and
 * every instance sharing the folder changes at the same moment. `onChange` gets the new ordered list.
 */
import { loadKeyFiles, type PrivateSigningKey } from './key-files.ts';
import { readManifest } from './manifest.ts';
import { nextTransition, publishedKeys, schedule, type ScheduledKey } from './schedule.ts';

export interface KeyRingOptions {
  readonly dir: string;
  readonly pollMs: number;
  readonly clock?: () => number;
  readonly onError: (err: unknown) => void;
}

type Listener = (keys: readonly PrivateSigningKey[], scheduled: readonly ScheduledKey[]) => void;

export interface KeyRing {
  readonly keys: readonly PrivateSigningKey[];
  readonly scheduled: readonly ScheduledKey[];
  /** Called with the new ordered keys whenever the published set or its order changes. */
  subscribe(listener: Listener): void;
  /** Re-reads KEYS_DIR now; resolves once any change has been handed to the listeners. */
  refresh(): Promise<void>;
  stop(): void;
}

const fingerprint = (keys: readonly PrivateSigningKey[]) => keys.map((k) => k.kid).join(',');

export async function readKeySchedule(dir: string, now: number): Promise<{ keys: PrivateSigningKey[]; scheduled: ScheduledKey[] }> {
  const [{ keys }, manifest] = await Promise.all([loadKeyFiles(dir), readManifest(dir)]);
  const scheduled = schedule(keys, manifest, now);
  return { keys: publishedKeys(scheduled), scheduled };
}

export async function startKeyRing(options: KeyRingOptions): Promise<KeyRing> {
  const clock = options.clock ?? Date.now;
  let state = await readKeySchedule(options.dir, clock());
  let wake: NodeJS.Timeout | undefined;
  let stopped = false;
  const listeners: Listener[] = [];

  const arm = () => {
    if (wake) clearTimeout(wake);
    if (stopped) return;
    const next = nextTransition(state.scheduled, clock());
    const delay = Math.min(options.pollMs, next === undefined ? Infinity : Math.max(0, next - clock()) + 5);
    wake = setTimeout(() => void ring.refresh().catch(options.onError), delay);
    wake.unref();
  };

  const ring: KeyRing = {
    get keys() {
      return state.keys;
    },
    get scheduled() {
      return state.scheduled;
    },
    subscribe(listener) {
      listeners.push(listener);
    },
    async refresh() {
      try {
        const fresh = await readKeySchedule(options.dir, clock());
        const changed = fingerprint(fresh.keys) !== fingerprint(state.keys);
        state = fresh;
        if (changed) for (const listener of listeners) listener(state.keys, state.scheduled);
      } finally {
        arm();
      }
    },
    stop() {
      stopped = true;
      if (wake) clearTimeout(wake);
    },
  };
  arm();
  return ring;
}
