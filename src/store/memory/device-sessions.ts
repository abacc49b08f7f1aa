import type { Clock, DeviceSession, DeviceSessionStore } from '../ports.ts';

export class MemoryDeviceSessionStore implements DeviceSessionStore {
  readonly #entries = new Map<string, { entry: DeviceSession; expiresAt: number }>();
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  async record(entry: DeviceSession, ttlSeconds: number): Promise<void> {
    this.#entries.set(entry.uid, { entry: Object.freeze({ ...entry }), expiresAt: this.#clock() + ttlSeconds * 1000 });
  }

  async listByAccount(accountId: string): Promise<DeviceSession[]> {
    const now = this.#clock();
    return [...this.#entries.values()]
      .filter((e) => e.entry.accountId === accountId && e.expiresAt > now)
      .map((e) => e.entry)
      .sort((a, b) => b.lastActiveAt.getTime() - a.lastActiveAt.getTime());
  }

  async remove(uid: string): Promise<void> {
    this.#entries.delete(uid);
  }
}
