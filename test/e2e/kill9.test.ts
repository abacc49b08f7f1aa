/**
 * `kill -9` under load loses no token the server already returned. Twenty browsers run code flows with
 * `offline_access` back to back against one process; once enough refresh tokens have come back, the
 * process gets SIGKILL with flows still in flight. A new process on the same database (same KEYS_DIR,
 * bootstrap and cookie secrets, same issuer) must accept every refresh token whose issuing response was
 * received — each one refreshed once. It holds because a token is only returned after MongoDB
 * acknowledged its record (majority write concern, nothing written in the background on that path).
 */
import { recordTokens } from '../setup/log-scan-capture.ts';
import { Browser } from '../helpers/browser.ts';
import { discoverApp, exchangeCode, runFrontChannel } from '../helpers/flow.ts';
import { processGroup } from '../helpers/process.ts';
import { refresh } from '../helpers/refresh.ts';

const WORKERS = 20;
/** Refresh tokens received before the kill. */
const KILL_AFTER = 40;
/** A worker stops after this many flows even if the kill never comes (it always does first). */
const MAX_FLOWS_PER_WORKER = 50;

const group = processGroup();

afterAll(() => group.cleanup());

test('every refresh token a process returned before kill -9 works on the next process', async () => {
  const first = await group.start();
  const app = await discoverApp(first.issuer);

  const received: string[] = [];
  let killed = false;
  let lostInFlight = 0;
  let onEnough: () => void = () => {};
  const enough = new Promise<void>((resolve) => (onEnough = resolve));

  const worker = async () => {
    const browser = new Browser(first.issuer);
    for (let i = 0; i < MAX_FLOWS_PER_WORKER && !killed; i += 1) {
      try {
        const flow = await runFrontChannel(first.issuer, app, { scope: 'openid offline_access', prompt: 'consent' }, browser);
        const tokens = await exchangeCode(app, flow);
        if (tokens.refresh_token) received.push(tokens.refresh_token);
        if (received.length >= KILL_AFTER) onEnough();
      } catch (err) {
        if (!killed) throw err;
        lostInFlight += 1; // a request the kill cut off: its response never arrived, so it promised nothing
      }
    }
  };
  const load = Promise.all(Array.from({ length: WORKERS }, () => worker()));

  await Promise.race([enough, load]);
  killed = true;
  first.child.kill('SIGKILL');
  await load;
  expect(await first.stop('SIGKILL')).toBeNull(); // killed by the signal, no exit code
  expect(received.length).toBeGreaterThanOrEqual(KILL_AFTER);
  expect(lostInFlight).toBeGreaterThan(0); // the kill did land mid-load

  // A new process on the same database answers for the same issuer.
  const second = await group.start({ issuer: first.issuer });
  const answers = await Promise.all(received.map((token) => refresh(second.url, 'app', token)));
  for (const answer of answers) recordTokens(answer.body);
  const failed = answers.filter((a) => a.status !== 200).map((a) => `${a.status} ${JSON.stringify(a.body)}`);
  expect(failed).toEqual([]);
  expect(answers.every((a) => typeof a.body.refresh_token === 'string')).toBe(true);
}, 120_000);
