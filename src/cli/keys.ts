/**
 * `keys generate|list`: the private signing keys in KEYS_DIR (no store needed). `generate` writes a new
 * key of every algorithm (mode 0600, never overwriting); with `--if-missing` it writes only the missing
 * ones, and nothing at all when every algorithm has a key — what a container's start-up step wants.
 */
import { z } from 'zod';
import { generateKeyFiles, loadKeyFiles, publicPart, SIGNING_ALGS } from '../signing/index.ts';
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

const list = defineCommand({
  name: 'keys list',
  summary: 'list the keys in KEYS_DIR (public parts only)',
  async run(_values, ctx) {
    const { keys } = await loadKeyFiles(ctx.config.keysDir);
    return { json: keys.map(publicPart), text: table(keys.map((k) => [k.alg, k.kid]), `no signing keys in ${ctx.config.keysDir}`) };
  },
});

export const keyCommands: readonly Command[] = [generate, list];
