/**
 * The index set for MongoDB: TTL cleanup on `expiresAt`, `grantId` on every grantable model, unique
 * `uid` on sessions, `userCode` on device codes (the payload's own fields, lifted out of the stored
 * JSON), unique email on accounts, `key, at` and `attempt` on login attempts, account, client and time
 * on security events, `key, slot` on rate limit slots.
 * Created by `npm run cli -- db migrate` and, in dev mode, at start-up. A server that refuses an index
 * option (FerretDB: TTL, partial) gets the index without it and one warning — never a crash: expiry is
 * enforced on read anyway, the TTL index only cleans up.
 */
import { MongoServerError, type CreateIndexesOptions, type Db, type IndexSpecification } from 'mongodb';
import { ACCOUNTS, CONSUMED, DEVICE_SESSIONS, GRANTABLE_MODELS, LOGIN_ATTEMPTS, LOGIN_SUCCESSES, modelCollection, PROVIDER_MODELS, RATE_LIMIT_SLOTS, SECURITY_EVENTS } from './collections.ts';

interface IndexPlan {
  readonly collection: string;
  readonly key: IndexSpecification;
  readonly options: CreateIndexesOptions & { name: string };
}

export function indexPlan(): IndexPlan[] {
  const ttl = { expireAfterSeconds: 0 };
  const plans: IndexPlan[] = [];
  for (const model of PROVIDER_MODELS) {
    plans.push({ collection: modelCollection(model), key: { expiresAt: 1 }, options: { name: 'expiresAt_ttl', ...ttl } });
  }
  for (const model of GRANTABLE_MODELS) {
    plans.push({ collection: modelCollection(model), key: { grantId: 1 }, options: { name: 'grantId' } });
  }
  plans.push({ collection: modelCollection('Session'), key: { uid: 1 }, options: { name: 'uid_unique', unique: true } });
  plans.push({ collection: modelCollection('DeviceCode'), key: { userCode: 1 }, options: { name: 'userCode' } });
  plans.push({ collection: CONSUMED, key: { expiresAt: 1 }, options: { name: 'expiresAt_ttl', ...ttl } });
  plans.push({ collection: modelCollection('Grant'), key: { accountId: 1 }, options: { name: 'accountId' } });
  plans.push({ collection: ACCOUNTS, key: { email: 1 }, options: { name: 'email_unique', unique: true } });
  plans.push({ collection: DEVICE_SESSIONS, key: { accountId: 1 }, options: { name: 'accountId' } });
  plans.push({ collection: DEVICE_SESSIONS, key: { expiresAt: 1 }, options: { name: 'expiresAt_ttl', ...ttl } });
  plans.push({ collection: LOGIN_ATTEMPTS, key: { key: 1, at: 1 }, options: { name: 'key_at' } });
  plans.push({ collection: LOGIN_ATTEMPTS, key: { attempt: 1 }, options: { name: 'attempt' } });
  plans.push({ collection: LOGIN_ATTEMPTS, key: { expiresAt: 1 }, options: { name: 'expiresAt_ttl', ...ttl } });
  plans.push({ collection: LOGIN_SUCCESSES, key: { expiresAt: 1 }, options: { name: 'expiresAt_ttl', ...ttl } });
  // The log is read newest first, by account, by client, or as a whole (`events tail`).
  plans.push({ collection: SECURITY_EVENTS, key: { expiresAt: 1 }, options: { name: 'expiresAt_ttl', ...ttl } });
  plans.push({ collection: SECURITY_EVENTS, key: { accountId: 1, time: -1 }, options: { name: 'accountId_time' } });
  plans.push({ collection: SECURITY_EVENTS, key: { clientId: 1, time: -1 }, options: { name: 'clientId_time' } });
  plans.push({ collection: SECURITY_EVENTS, key: { time: -1 }, options: { name: 'time' } });
  plans.push({ collection: RATE_LIMIT_SLOTS, key: { key: 1, slot: -1 }, options: { name: 'key_slot' } });
  plans.push({ collection: RATE_LIMIT_SLOTS, key: { expiresAt: 1 }, options: { name: 'expiresAt_ttl', ...ttl } });
  return plans;
}

const NOT_IMPLEMENTED = 238;
const DEGRADABLE = ['expireAfterSeconds', 'partialFilterExpression', 'sparse'] as const;

function refusedOption(err: unknown): (typeof DEGRADABLE)[number] | undefined {
  if (!(err instanceof MongoServerError)) return undefined;
  if (err.code !== NOT_IMPLEMENTED && !/not (implemented|supported)/i.test(err.message)) return undefined;
  return DEGRADABLE.find((o) => err.message.includes(o));
}

export interface MigrationResult {
  readonly created: number;
  readonly degraded: readonly string[];
}

/** Creates every index (idempotent). Returns what had to be created without a refused option. */
export async function ensureIndexes(db: Db, warn: (message: string) => void): Promise<MigrationResult> {
  const degraded = new Set<string>();
  let created = 0;
  for (const plan of indexPlan()) {
    const collection = db.collection(plan.collection);
    try {
      await collection.createIndex(plan.key, plan.options);
    } catch (err) {
      const option = refusedOption(err);
      if (!option) throw err;
      const { [option]: _dropped, ...rest } = plan.options;
      await collection.createIndex(plan.key, rest as CreateIndexesOptions);
      degraded.add(option);
    }
    created += 1;
  }
  if (degraded.size > 0) {
    warn(
      `the MongoDB server refused index option ${[...degraded].join(', ')}; created those indexes without it` +
        (degraded.has('expireAfterSeconds') ? ' (expired records are ignored on read but not removed automatically)' : ''),
    );
  }
  return { created, degraded: [...degraded] };
}
