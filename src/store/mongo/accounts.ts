import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import type { Account, AccountInput, AccountStore, Clock } from '../ports.ts';
import { ACCOUNTS } from './collections.ts';
import { isDuplicateKey } from './models.ts';

interface AccountDocument {
  _id: string;
  email: string;
  emailVerified: boolean;
  name?: string | undefined;
  passwordHash: string;
  disabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

function toAccount(doc: AccountDocument): Account {
  return Object.freeze({
    id: doc._id,
    email: doc.email,
    emailVerified: doc.emailVerified,
    name: doc.name ?? undefined,
    passwordHash: doc.passwordHash,
    disabled: doc.disabled,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  });
}

/** Accounts, unique by normalized email (a unique index, see indexes.ts). */
export class MongoAccountStore implements AccountStore {
  readonly #accounts: Collection<AccountDocument>;
  readonly #clock: Clock;

  constructor(db: Db, clock: Clock) {
    this.#accounts = db.collection<AccountDocument>(ACCOUNTS);
    this.#clock = clock;
  }

  async findById(id: string): Promise<Account | undefined> {
    const doc = await this.#accounts.findOne({ _id: id });
    return doc ? toAccount(doc) : undefined;
  }

  async findByEmail(email: string): Promise<Account | undefined> {
    const doc = await this.#accounts.findOne({ email });
    return doc ? toAccount(doc) : undefined;
  }

  async upsertByEmail(input: AccountInput): Promise<Account> {
    const now = new Date(this.#clock());
    const set = { emailVerified: input.emailVerified, name: input.name, passwordHash: input.passwordHash, updatedAt: now };
    for (let attempt = 0; ; attempt += 1) {
      const updated = await this.#accounts.findOneAndUpdate({ email: input.email }, { $set: set }, { returnDocument: 'after' });
      if (updated) return toAccount(updated);
      try {
        const doc: AccountDocument = { _id: randomUUID(), email: input.email, disabled: false, createdAt: now, ...set };
        await this.#accounts.insertOne(doc);
        return toAccount(doc);
      } catch (err) {
        // Someone created it between our update and insert: the unique email index decided; update theirs.
        if (!isDuplicateKey(err) || attempt > 0) throw err;
      }
    }
  }

  async list(): Promise<Account[]> {
    return (await this.#accounts.find({}).sort({ email: 1 }).toArray()).map(toAccount);
  }

  async setDisabled(email: string, disabled: boolean): Promise<boolean> {
    const r = await this.#accounts.updateOne({ email }, { $set: { disabled, updatedAt: new Date(this.#clock()) } });
    return r.matchedCount === 1;
  }
}
