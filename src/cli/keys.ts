/**
 * `keys generate|list`: the private signing keys in KEYS_DIR (no store needed). `generate` writes a new
 * key of every algorithm (mode 0600, never overwriting); with `--if-missing` it writes only the missing
 * ones, and nothing at all when every algorithm has a key — what a container's start-up step wants.
 */
import { z } from 'zod';
import { generateKeyFiles, loadKeyFiles, publicPart, readKeySchedule, rotateKeys, rotationTimes, RotationInProgress, SIGNING_ALGS } from '../signing/index.ts';
import { CommandError } from './errors.ts';
import { recordEvent } from './events.ts';
import { defineCommand, type Command } from './command.ts';
import { table } from './output.ts';

const generate = defineCommand({
  name: 'keys generate',
  flags: '[--if-missing]',
  summary: 'write new RS256 and ES256 private keys into KEYS_DIR',
  options: { 'if-missing': { type: 'boolean' } },
  schema: z.object({ 'if-missing': z.boolean().default(false) }),
  async run(values, ctx) {
    const dir = ctx.config.keysDir;
    const present = values['if-missing'] ? (await loadKeyFiles(dir)).keys : [];
    const missing = SIGNING_ALGS.filter((alg) => !present.some((k) => k.alg === alg));
    if (missing.length === 0) return { json: [], text: ['signing keys already present'] };
    const made = await generateKeyFiles(dir, missing);
    return { json: made.map(publicPart), text: made.map((k) => `generated ${k.alg} key ${k.kid} in ${dir}`) };
  },
});

const iso = (t: number | undefined) => (t === undefined || !Number.isFinite(t) ? '' : new Date(t).toISOString());

const list = defineCommand({
  name: 'keys list',
  summary: 'list the keys in KEYS_DIR with their rotation state (public parts only)',
  async run(_values, ctx) {
    const { scheduled } = await readKeySchedule(ctx.config.keysDir, Date.now());
    return {
      json: scheduled.map((s) => ({ ...publicPart(s.key), state: s.state, activateAt: iso(s.activateAt), retireAt: iso(s.retireAt) || undefined })),
      text: table(
        scheduled.map((s) => [s.key.alg, s.key.kid, s.state, s.retireAt ? `retires ${iso(s.retireAt)}` : s.state === 'next' ? `signs from ${iso(s.activateAt)}` : '']),
        `no signing keys in ${ctx.config.keysDir}`,
      ),
    };
  },
});

const rotate = defineCommand({
  name: 'keys rotate',
  summary: 'add new keys as "next": published now, signing after KEYS_PREPUBLISH_SECONDS; the old ones retire after the longest token lifetime',
  async run(_values, ctx) {
    // Resource servers may give access tokens longer lives than ACCESS_TOKEN_TTL: ask the store when there is one.
    const ttls = ctx.config.mongodbUri ? (await (await ctx.store()).resourceServers.list()).map((r) => r.accessTokenTTL ?? ctx.config.ttl.accessToken) : [];
    try {
      const result = await rotateKeys(ctx.config.keysDir, rotationTimes(ctx.config, ttls));
      for (const { kid, alg } of result.added) await recordEvent(ctx, 'key.published', { kid, alg, actor: 'cli' });
      return {
        json: result,
        text: [
          ...result.added.map((k) => `added ${k.alg} key ${k.kid}: published now, signs from ${k.activateAt}`),
          ...result.retiring.map((k) => `${k.alg} key ${k.kid} stays published until ${k.retireAt}`),
          ...result.removed.map((kid) => `removed retired key ${kid}`),
        ],
      };
    } catch (err) {
      if (err instanceof RotationInProgress) throw new CommandError(err.message);
      throw err;
    }
  },
});

export const keyCommands: readonly Command[] = [generate, list, rotate];
