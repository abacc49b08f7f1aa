/**
 * Bridges oidc-provider's adapter interface to the storage ports. The library constructs one adapter per
 * model name; `Client` is served from the client store (see clients.ts), `RefreshToken` adds the reuse
 * grace window, every other model comes straight from the model store of that name.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { errors, type Adapter, type AdapterPayload } from 'oidc-provider';
import type { ClientStore, ModelPayload, ModelStore, ModelStores } from '../store/index.ts';
import { toProviderClientMetadata } from './clients.ts';
import { reuseGraceSeconds } from './refresh-metadata.ts';

class ModelAdapter implements Adapter {
  readonly #store: ModelStore;
  readonly #insertOnly: boolean;

  constructor(store: ModelStore, insertOnly: boolean) {
    this.#store = store;
    this.#insertOnly = insertOnly;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    if (!this.#insertOnly) return this.#store.upsert(id, payload, expiresIn);
    // ReplayDetection: the library finds, then saves; two concurrent uses of one JWT would both pass
    // its check. The insert is the atomic arbiter: the second one is a replay.
    if (!(await this.#store.insert(id, payload, expiresIn))) {
      throw new errors.InvalidRequest('this JWT was already used (replay detected)');
    }
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return (await this.#store.find(id)) as AdapterPayload | undefined;
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return (await this.#store.findByUid(uid)) as AdapterPayload | undefined;
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return (await this.#store.findByUserCode(userCode)) as AdapterPayload | undefined;
  }

  /**
   * oidc-provider checks `consumed` and calls consume() in a separate step, so two concurrent
   * redemptions can both pass the check. The store's consume succeeds for exactly one of them; the
   * others are refused here as an invalid grant.
   */
  async consume(id: string): Promise<void> {
    if (!(await this.#store.consume(id))) {
      throw new errors.InvalidGrant('grant request is invalid (already used)');
    }
  }

  async destroy(id: string): Promise<void> {
    await this.#store.destroy(id);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.#store.revokeByGrantId(grantId);
  }
}

/** How often, and how far apart, a refused consume looks again for a concurrent winner's `consumed` mark. */
const SETTLE_ATTEMPTS = 8;
const SETTLE_DELAY_MS = 25;

/**
 * Refresh tokens with a reuse grace window. oidc-provider revokes the whole grant when find() reports the
 * presented token `consumed`, and otherwise calls consume() before minting a successor
 * (lib/actions/grants/refresh_token.js). Within the client's grace window after the token was consumed,
 * find() leaves `consumed` out and consume() succeeds for the late caller too, so a second tab or a retry
 * after a lost response gets a valid pair of its own. Outside the window — and always with a grace of 0,
 * the default — both behave strictly: reuse revokes the family, and consume() succeeds exactly once.
 */
class RefreshTokenAdapter extends ModelAdapter {
  readonly #tokens: ModelStore;
  readonly #graceFor: (clientId: unknown) => Promise<number>;
  readonly #now: () => number;

  constructor(store: ModelStore, graceFor: (clientId: unknown) => Promise<number>, now: () => number) {
    super(store, false);
    this.#tokens = store;
    this.#graceFor = graceFor;
    this.#now = now;
  }

  /** `consumed` is epoch seconds on both backends (store/memory/models.ts, store/mongo/models.ts). */
  #withinGrace(payload: ModelPayload, grace: number): boolean {
    return grace > 0 && typeof payload.consumed === 'number' && Math.floor(this.#now() / 1000) - payload.consumed <= grace;
  }

  override async find(id: string): Promise<AdapterPayload | undefined> {
    const payload = await this.#tokens.find(id);
    if (payload?.consumed === undefined || !this.#withinGrace(payload, await this.#graceFor(payload.clientId))) {
      return payload as AdapterPayload | undefined;
    }
    const { consumed: _consumed, ...unconsumed } = payload;
    return unconsumed as AdapterPayload;
  }

  override async consume(id: string): Promise<void> {
    if (await this.#tokens.consume(id)) return;
    const found = await this.#tokens.find(id);
    const grace = found ? await this.#graceFor(found.clientId) : 0;
    const payload = grace > 0 ? await this.#settled(id, found) : found;
    if (payload && this.#withinGrace(payload, grace)) return;
    throw new errors.InvalidGrant('grant request is invalid (already used)');
  }

  /**
   * The record as its consumer left it. MongoDB's consume inserts its single-use marker first and marks
   * the record second, so a caller that lost the race may read the record between the two: it looks
   * again briefly. A record that stays unmarked (its consumer failed in between) is treated strictly.
   */
  async #settled(id: string, found: ModelPayload | undefined): Promise<ModelPayload | undefined> {
    let payload = found;
    for (let attempt = 0; payload && payload.consumed === undefined && attempt < SETTLE_ATTEMPTS; attempt += 1) {
      await sleep(SETTLE_DELAY_MS);
      payload = await this.#tokens.find(id);
    }
    return payload;
  }
}

/** Clients are read-only through the provider: they are managed by the bootstrap file and the CLI. */
class ClientAdapter implements Adapter {
  readonly #clients: ClientStore;

  constructor(clients: ClientStore) {
    this.#clients = clients;
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const metadata = await this.#clients.find(id);
    return metadata ? (toProviderClientMetadata(metadata) as AdapterPayload) : undefined;
  }

  async upsert(): Promise<void> {
    throw new Error('clients are managed through the bootstrap file and the CLI');
  }

  async findByUid(): Promise<undefined> {
    return undefined;
  }

  async findByUserCode(): Promise<undefined> {
    return undefined;
  }

  async consume(): Promise<void> {}

  async destroy(): Promise<void> {}

  async revokeByGrantId(): Promise<void> {}
}

export interface AdapterOptions {
  /** The deployment's reuse grace window in seconds (REFRESH_TOKEN_REUSE_GRACE_SECONDS); clients may override it. */
  readonly refreshTokenReuseGraceSeconds: number;
  /** Milliseconds since the epoch; read at every call. */
  readonly now?: () => number;
}

/** The adapter factory passed as `adapter` in the provider configuration. */
export function createAdapterFactory(
  models: ModelStores,
  clients: ClientStore,
  { refreshTokenReuseGraceSeconds, now = () => Date.now() }: AdapterOptions,
): (name: string) => Adapter {
  // Built-in clients (the account page) are not in the store and get the deployment's grace.
  const graceFor = async (clientId: unknown) =>
    reuseGraceSeconds(typeof clientId === 'string' ? await clients.find(clientId) : undefined, refreshTokenReuseGraceSeconds);
  return (name) => {
    if (name === 'Client') return new ClientAdapter(clients);
    if (name === 'RefreshToken') return new RefreshTokenAdapter(models.model(name), graceFor, now);
    return new ModelAdapter(models.model(name), name === 'ReplayDetection');
  };
}
