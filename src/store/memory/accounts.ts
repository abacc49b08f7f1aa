import { randomUUID } from 'node:crypto';
import type { Account, AccountInput, AccountStore, Clock } from '../ports.ts';

export class MemoryAccountStore implements AccountStore {
  readonly #byId = new Map<string, Account>();
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  async findById(id: string): Promise<Account | undefined> {
    return this.#byId.get(id);
  }

  async findByEmail(email: string): Promise<Account | undefined> {
    for (const account of this.#byId.values()) if (account.email === email) return account;
    return undefined;
  }

  async upsertByEmail(input: AccountInput): Promise<Account> {
    const now = new Date(this.#clock());
    const existing = await this.findByEmail(input.email);
    const account: Account = Object.freeze({
      id: existing?.id ?? randomUUID(),
      disabled: existing?.disabled ?? false,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      ...input,
    });
    this.#byId.set(account.id, account);
    return account;
  }

  async setDisabled(email: string, disabled: boolean): Promise<boolean> {
    const account = await this.findByEmail(email);
    if (!account) return false;
    this.#byId.set(account.id, Object.freeze({ ...account, disabled, updatedAt: new Date(this.#clock()) }));
    return true;
  }

  async list(): Promise<Account[]> {
    return [...this.#byId.values()];
  }
}
