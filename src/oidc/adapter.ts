/**
 * Bridges oidc-provider's adapter interface to the storage ports. The library constructs one adapter per
 * model name; `Client` is served from the client store (see clients.ts), every other model from the
 * model store of that name.
 */
import { errors, type Adapter, type AdapterPayload } from 'oidc-provider';
import type { ClientStore, ModelStore, ModelStores } from '../store/index.ts';
import { toProviderClientMetadata } from './clients.ts';

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

/** The adapter factory passed as `adapter` in the provider configuration. */
export function createAdapterFactory(models: ModelStores, clients: ClientStore): (name: string) => Adapter {
  return (name) =>
    name === 'Client' ? new ClientAdapter(clients) : new ModelAdapter(models.model(name), name === 'ReplayDetection');
}
