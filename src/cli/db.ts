/**
 * `db migrate`: creates the MongoDB index set (store/mongo/indexes.ts) on the configured database,
 * idempotently. A server that refuses an index option (FerretDB: TTL) gets the index without it, and
 * the command says so.
 */
import { ensureIndexes, indexPlan } from '../store/mongo/index.ts';
import { defineCommand, type Command } from './command.ts';

const migrate = defineCommand({
  name: 'db migrate',
  summary: 'create the MongoDB indexes (safe to run again)',
  async run(_values, ctx) {
    const { db } = await ctx.store();
    const warnings: string[] = [];
    const result = await ensureIndexes(db, (message) => warnings.push(message));
    const indexes = indexPlan().map((plan) => ({
      collection: plan.collection,
      name: plan.options.name,
      refused: result.degraded.filter((option) => option in plan.options),
    }));
    const lines = indexes.map((i) => `  ${i.collection}.${i.name}${i.refused.length > 0 ? ` (without ${i.refused.join(', ')})` : ''}`);
    return {
      json: { database: db.databaseName, created: result.created, indexes, degraded: result.degraded, warnings },
      text: [`ensured ${result.created} indexes in database ${db.databaseName}:`, ...lines],
      warnings,
    };
  },
});

export const dbCommands: readonly Command[] = [migrate];
