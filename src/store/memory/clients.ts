import { PlainClientSecretError, type ClientMetadata, type ClientStore, type ResourceServer, type ResourceServerStore } from '../ports.ts';

export class MemoryClientStore implements ClientStore {
  readonly #clients = new Map<string, ClientMetadata>();

  async find(clientId: string): Promise<ClientMetadata | undefined> {
    const found = this.#clients.get(clientId);
    return found ? structuredClone(found) : undefined;
  }

  async upsert(metadata: ClientMetadata): Promise<void> {
    if ('client_secret' in metadata) throw new PlainClientSecretError(metadata.client_id);
    this.#clients.set(metadata.client_id, structuredClone(metadata));
  }

  async list(): Promise<ClientMetadata[]> {
    return [...this.#clients.values()].map((c) => structuredClone(c));
  }

  async remove(clientId: string): Promise<boolean> {
    return this.#clients.delete(clientId);
  }
}

export class MemoryResourceServerStore implements ResourceServerStore {
  readonly #servers = new Map<string, ResourceServer>();

  async find(identifier: string): Promise<ResourceServer | undefined> {
    return this.#servers.get(identifier);
  }

  async upsert(server: ResourceServer): Promise<void> {
    this.#servers.set(server.identifier, Object.freeze({ ...server, scopes: [...server.scopes] }));
  }

  async list(): Promise<ResourceServer[]> {
    return [...this.#servers.values()];
  }
}
