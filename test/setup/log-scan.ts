/**
 * The log scan: after the whole run, no captured log line (log-scan-capture.ts) may hold a secret the
 * tests saw — a token, code, client secret, password or session cookie, raw or JSON-escaped. The global
 * teardown throws naming each kind of secret and the file (and first line) it leaked into, never the
 * value itself.
 *
 * Cheap at any size: a token-shaped secret is looked up among the file's token-shaped runs (one pass per
 * file, a set lookup per secret) and only a hit is confirmed by searching the text; the few secrets that
 * are not token-shaped (passphrases) are searched for directly.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface Secret {
  readonly kind: string;
  readonly value: string;
}

export interface Leak {
  readonly kind: string;
  readonly file: string;
  /** The first line holding it. */
  readonly line: number;
}

/** Runs long enough to be told apart: every token, code, cookie and generated secret has one. */
const RUN = /[A-Za-z0-9_-]{20,}/g;

const filesIn = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(dir, e.name)) : [];

/** Every secret recorded in `dir` (JSON lines of `{ kind, value }`), once each. */
export function readSecrets(dir: string): Secret[] {
  const byValue = new Map<string, Secret>();
  for (const file of filesIn(dir)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line) continue;
      const secret = JSON.parse(line) as Secret;
      if (typeof secret.value === 'string' && !byValue.has(secret.value)) byValue.set(secret.value, secret);
    }
  }
  return [...byValue.values()];
}

/** How the value may stand in a log line: as is, and as a JSON string escapes it. */
function forms(value: string): string[] {
  const escaped = JSON.stringify(value).slice(1, -1);
  return escaped === value ? [value] : [value, escaped];
}

/** The longest token-shaped run of the value, when it has one. */
function longestRun(value: string): string | undefined {
  return value.match(RUN)?.reduce((a, b) => (b.length > a.length ? b : a));
}

/** The leaks of `secrets` in the files of `logDir`: one per kind and file. */
export function scanLogs(logDir: string, secrets: readonly Secret[]): Leak[] {
  const leaks: Leak[] = [];
  const probes = secrets.map((s) => ({ ...s, run: longestRun(s.value), forms: forms(s.value) }));
  for (const file of filesIn(logDir)) {
    const text = readFileSync(file, 'utf8');
    const runs = new Set(text.match(RUN) ?? []);
    const found = new Map<string, number>();
    for (const probe of probes) {
      if (found.has(probe.kind)) continue;
      // A value whose longest run is not one of the file's runs is not in it as a value of its own (JSON
      // quotes, `=`, `.`, `&`, spaces delimit it); glued to other token characters it would be missed.
      if (probe.run !== undefined && !runs.has(probe.run)) continue;
      const at = probe.forms.map((f) => text.indexOf(f)).find((i) => i >= 0);
      if (at !== undefined) found.set(probe.kind, text.slice(0, at).split('\n').length);
    }
    for (const [kind, line] of found) leaks.push({ kind, file, line });
  }
  return leaks;
}

/** Throws when any log file of the run holds a recorded secret, naming each kind and file. */
export function assertNoSecretsLogged(runDir: string, root: string = process.cwd()): void {
  const leaks = scanLogs(join(runDir, 'logs'), readSecrets(join(runDir, 'secrets')));
  if (leaks.length === 0) return;
  const where = leaks.map((l) => `${l.kind} in ${relative(root, l.file)} (line ${l.line})`).join('; ');
  throw new Error(`log scan: a secret reached the logs: ${where}`);
}
