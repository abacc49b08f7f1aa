/**
 * In-memory storage for oidc-provider models (dev mode and unit tests). Single-threaded JavaScript makes
 * each method atomic by construction, which is exactly the guarantee the MongoDB backend reproduces with
 * conditional writes.
 */
import { CLOCK_TOLERANCE_SECONDS, type Clock, type ModelPayload, type ModelStore, type ModelStores } from '../ports.ts';

interface Entry {
  payload: ModelPayload;
  expiresAt: number | undefined;
}

export class MemoryModelStore implements ModelStore {
  readonly #entries = new Map<string, Entry>();
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  #live(id: string): Entry | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= this.#clock()) {
      this.#entries.delete(id);
      return undefined;
    }
    return entry;
  }

  #findWhere(predicate: (p: ModelPayload) => boolean): ModelPayload | undefined {
    for (const [id, entry] of this.#entries) {
      if (predicate(entry.payload) && this.#live(id)) return structuredClone(entry.payload);
    }
    return undefined;
  }

  async upsert(id: string, payload: ModelPayload, expiresIn: number | undefined): Promise<void> {
    const expiresAt = expiresIn === undefined ? undefined : this.#clock() + (expiresIn + CLOCK_TOLERANCE_SECONDS) * 1000;
    this.#entries.set(id, { payload: structuredClone(payload), expiresAt });
  }

  async insert(id: string, payload: ModelPayload, expiresIn: number | undefined): Promise<boolean> {
    if (this.#live(id)) return false;
    await this.upsert(id, payload, expiresIn);
    return true;
  }

  async find(id: string): Promise<ModelPayload | undefined> {
    const entry = this.#live(id);
    return entry ? structuredClone(entry.payload) : undefined;
  }

  async findByUid(uid: string): Promise<ModelPayload | undefined> {
    return this.#findWhere((p) => p.uid === uid);
  }

  async findByUserCode(userCode: string): Promise<ModelPayload | undefined> {
    return this.#findWhere((p) => p.userCode === userCode);
  }

  async consume(id: string): Promise<boolean> {
    const entry = this.#live(id);
    if (!entry || entry.payload.consumed !== undefined) return false;
    entry.payload = { ...entry.payload, consumed: Math.floor(this.#clock() / 1000) };
    return true;
  }

  async destroy(id: string): Promise<void> {
    this.#entries.delete(id);
  }

  async destroyByUid(uid: string): Promise<void> {
    for (const [id, entry] of this.#entries) if (entry.payload.uid === uid) this.#entries.delete(id);
  }

  async findByAccountId(accountId: string): Promise<ModelPayload[]> {
    const found: ModelPayload[] = [];
    for (const [id, entry] of this.#entries) {
      if (entry.payload.accountId === accountId && this.#live(id)) found.push(structuredClone(entry.payload));
    }
    return found;
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const [id, entry] of this.#entries) {
      if (entry.payload.grantId === grantId) this.#entries.delete(id);
    }
  }
}

export class MemoryModelStores implements ModelStores {
  readonly #stores = new Map<string, MemoryModelStore>();
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  model(name: string): MemoryModelStore {
    let store = this.#stores.get(name);
    if (!store) {
      store = new MemoryModelStore(this.#clock);
      this.#stores.set(name, store);
    }
    return store;
  }
}
