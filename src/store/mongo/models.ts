/**
 * oidc-provider models in MongoDB, one collection per model. Single use is an insert into
 * `oidc_consumed` that fails on a duplicate key: atomic on MongoDB and on FerretDB alike (FerretDB's
 * conditional updates read and then write, so a filtered update would not be), then the record is
 * marked consumed for the library's own check.
 */
import { MongoServerError, type Collection, type Db } from 'mongodb';
import { CLOCK_TOLERANCE_SECONDS, type Clock, type ModelPayload, type ModelStore, type ModelStores } from '../ports.ts';
import { CONSUMED, digestId, modelCollection, type ModelDocument } from './collections.ts';

const DUPLICATE_KEY = 11000;

export function isDuplicateKey(err: unknown): boolean {
  return err instanceof MongoServerError && err.code === DUPLICATE_KEY;
}

/**
 * Models whose id is no bearer credential, so their `jti` is kept: a Grant's id is the grantId every
 * token record names anyway, and the account page needs it to revoke the grant.
 */
const PUBLIC_ID_MODELS = new Set(['Grant']);

/**
 * What is stored of a payload: never the raw id. `jti` repeats the id in every model, and an
 * Interaction copies the session id as `session.cookie` (which oidc-provider 9 never reads back).
 */
export function protectPayload(name: string, id: string, payload: ModelPayload): Record<string, unknown> {
  const { jti, ...rest } = payload as Record<string, unknown>;
  const keep = jti !== undefined && (jti !== id || PUBLIC_ID_MODELS.has(name));
  const stored: Record<string, unknown> = keep ? { ...rest, jti } : rest;
  const session = stored.session as Record<string, unknown> | undefined;
  if (session && typeof session === 'object' && 'cookie' in session) {
    const { cookie: _cookie, ...safe } = session;
    stored.session = safe;
  }
  return stored;
}

function expiresAt(clock: Clock, expiresIn: number | undefined): Date | undefined {
  return expiresIn === undefined ? undefined : new Date(clock() + (expiresIn + CLOCK_TOLERANCE_SECONDS) * 1000);
}

export class MongoModelStore implements ModelStore {
  readonly #name: string;
  readonly #records: Collection<ModelDocument>;
  readonly #consumed: Collection<{ _id: string; expiresAt?: Date }>;
  readonly #clock: Clock;

  constructor(db: Db, name: string, clock: Clock) {
    this.#name = name;
    this.#records = db.collection<ModelDocument>(modelCollection(name));
    this.#consumed = db.collection(CONSUMED);
    this.#clock = clock;
  }

  #document(id: string, payload: ModelPayload, expiresIn: number | undefined): ModelDocument {
    const at = expiresAt(this.#clock, expiresIn);
    const doc: ModelDocument = { _id: digestId(id), payload: JSON.stringify(protectPayload(this.#name, id, payload)) };
    if (typeof payload.grantId === 'string') doc.grantId = payload.grantId;
    if (typeof payload.uid === 'string') doc.uid = payload.uid;
    if (typeof payload.userCode === 'string') doc.userCode = payload.userCode;
    if (typeof payload.accountId === 'string') doc.accountId = payload.accountId;
    if (typeof payload.consumed === 'number') doc.consumed = payload.consumed;
    if (at) doc.expiresAt = at;
    return doc;
  }

  static #payload(doc: ModelDocument): Record<string, unknown> {
    const payload = JSON.parse(doc.payload) as Record<string, unknown>;
    return doc.consumed === undefined ? payload : { ...payload, consumed: doc.consumed };
  }

  #live(doc: ModelDocument | null): doc is ModelDocument {
    // A TTL index only cleans up (and FerretDB has none): expiry is decided here and by the library.
    return doc !== null && (doc.expiresAt === undefined || doc.expiresAt.getTime() > this.#clock());
  }

  async upsert(id: string, payload: ModelPayload, expiresIn: number | undefined): Promise<void> {
    const doc = this.#document(id, payload, expiresIn);
    try {
      await this.#records.replaceOne({ _id: doc._id }, doc, { upsert: true });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // Two writes raced. For a Session (unique `uid`): oidc-provider gave the session a new id
      // (resetIdentifier, at sign-in and logout) while a concurrent request still held the old one; that
      // stale copy must not bring the old id back, so nothing matches and it is dropped. Otherwise another
      // upsert inserted this _id first (the server need not retry an upsert's insert): replace it now.
      await this.#records.replaceOne({ _id: doc._id }, doc);
    }
  }

  async insert(id: string, payload: ModelPayload, expiresIn: number | undefined): Promise<boolean> {
    const doc = this.#document(id, payload, expiresIn);
    // An expired record (no TTL cleanup yet, or none on FerretDB) must not block a new insert.
    const existing = await this.#records.findOne({ _id: doc._id });
    if (existing !== null && !this.#live(existing)) await this.#records.deleteOne({ _id: doc._id });
    try {
      await this.#records.insertOne(doc);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async find(id: string): Promise<ModelPayload | undefined> {
    const doc = await this.#records.findOne({ _id: digestId(id) });
    if (!this.#live(doc)) return undefined;
    const payload = MongoModelStore.#payload(doc);
    return { ...payload, jti: payload.jti ?? id };
  }

  async findByUid(uid: string): Promise<ModelPayload | undefined> {
    const doc = await this.#records.findOne({ uid });
    return this.#live(doc) ? MongoModelStore.#payload(doc) : undefined;
  }

  async findByUserCode(userCode: string): Promise<ModelPayload | undefined> {
    const doc = await this.#records.findOne({ userCode });
    return this.#live(doc) ? MongoModelStore.#payload(doc) : undefined;
  }

  async consume(id: string): Promise<boolean> {
    const _id = digestId(id);
    const doc = await this.#records.findOne({ _id });
    if (!this.#live(doc) || doc.consumed !== undefined) return false;
    try {
      // The marker lives as long as the record, so it outlasts every chance to redeem it.
      await this.#consumed.insertOne({ _id: `${this.#name}:${_id}`, ...(doc.expiresAt ? { expiresAt: doc.expiresAt } : {}) });
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
    await this.#records.updateOne({ _id }, { $set: { consumed: Math.floor(this.#clock() / 1000) } });
    return true;
  }

  async destroy(id: string): Promise<void> {
    await this.#records.deleteOne({ _id: digestId(id) });
  }

  async destroyByUid(uid: string): Promise<void> {
    await this.#records.deleteMany({ uid });
  }

  async findByAccountId(accountId: string): Promise<ModelPayload[]> {
    const docs = await this.#records.find({ accountId }).toArray();
    return docs.filter((d) => this.#live(d)).map((d) => MongoModelStore.#payload(d));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.#records.deleteMany({ grantId });
  }
}

export class MongoModelStores implements ModelStores {
  readonly #stores = new Map<string, MongoModelStore>();
  readonly #db: Db;
  readonly #clock: Clock;

  constructor(db: Db, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
  }

  model(name: string): MongoModelStore {
    let store = this.#stores.get(name);
    if (!store) {
      store = new MongoModelStore(this.#db, name, this.#clock);
      this.#stores.set(name, store);
    }
    return store;
  }
}
