import type { Collection, Db } from 'mongodb';
import { PlainClientSecretError, type ClientMetadata, type ClientStore, type ResourceServer, type ResourceServerStore } from '../ports.ts';
import { CLIENTS, RESOURCE_SERVERS } from './collections.ts';

interface ClientDocument {
  _id: string;
  metadata: ClientMetadata;
}

export class MongoClientStore implements ClientStore {
  readonly #clients: Collection<ClientDocument>;

  constructor(db: Db) {
    this.#clients = db.collection<ClientDocument>(CLIENTS);
  }

  async find(clientId: string): Promise<ClientMetadata | undefined> {
    return (await this.#clients.findOne({ _id: clientId }))?.metadata;
  }

  async upsert(metadata: ClientMetadata): Promise<void> {
    if ('client_secret' in metadata) throw new PlainClientSecretError(metadata.client_id);
    await this.#clients.replaceOne({ _id: metadata.client_id }, { metadata }, { upsert: true });
  }

  async list(): Promise<ClientMetadata[]> {
    return (await this.#clients.find({}).sort({ _id: 1 }).toArray()).map((d) => d.metadata);
  }

  async remove(clientId: string): Promise<boolean> {
    return (await this.#clients.deleteOne({ _id: clientId })).deletedCount === 1;
  }
}

interface ResourceServerDocument {
  _id: string;
  name?: string | undefined;
  scopes: string[];
  accessTokenTTL?: number | undefined;
}

export class MongoResourceServerStore implements ResourceServerStore {
  readonly #servers: Collection<ResourceServerDocument>;

  constructor(db: Db) {
    this.#servers = db.collection<ResourceServerDocument>(RESOURCE_SERVERS);
  }

  static #toServer(doc: ResourceServerDocument): ResourceServer {
    return Object.freeze({ identifier: doc._id, name: doc.name ?? undefined, scopes: doc.scopes, accessTokenTTL: doc.accessTokenTTL ?? undefined });
  }

  async find(identifier: string): Promise<ResourceServer | undefined> {
    const doc = await this.#servers.findOne({ _id: identifier });
    return doc ? MongoResourceServerStore.#toServer(doc) : undefined;
  }

  async upsert(server: ResourceServer): Promise<void> {
    const doc: ResourceServerDocument = { _id: server.identifier, scopes: [...server.scopes] };
    if (server.name !== undefined) doc.name = server.name;
    if (server.accessTokenTTL !== undefined) doc.accessTokenTTL = server.accessTokenTTL;
    await this.#servers.replaceOne({ _id: server.identifier }, doc, { upsert: true });
  }

  async list(): Promise<ResourceServer[]> {
    return (await this.#servers.find({}).sort({ _id: 1 }).toArray()).map((d) => MongoResourceServerStore.#toServer(d));
  }
}
