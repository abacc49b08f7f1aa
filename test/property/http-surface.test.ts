/**
 * Issue 6, item 4: the whole HTTP surface under generated requests — random and malformed parameters,
 * headers and bodies, crafted JWTs — never answers 5xx, always answers in shape (answers.ts), and
 * never brings the process down. At least 10,000 requests on the memory store (counted, and checked
 * below), a smaller run on MongoDB. The seed is fixed and in the test names: PROPERTY_SEED=<n> replays
 * another one, and fast-check prints the seed and path of any failure (PROPERTY_NO_SHRINK=1 reports the
 * first failing case as is, without shrinking it).
 */
import Module from 'node:module';
import fc from 'fast-check';
import { createMemoryStore, type Store } from '../../src/store/index.ts';
import { mongoTestStore } from '../helpers/backends.ts';
import {
  accountRequests,
  authorizationRequests,
  endSessionRequests,
  interactionRequests,
  parRequests,
  surfaceRequests,
  tokenManagementRequests,
  tokenRequests,
  userinfoRequests,
  type Generated,
  type LiveValues,
} from './endpoints.ts';
import { startTarget, type Target } from './harness.ts';

const SEED = Number(process.env.PROPERTY_SEED ?? 20_260_611);
/** Requests per generated case; the raw client keeps 8 of them in flight. */
const BATCH = 16;
const MIN_REQUESTS = 10_000;
/**
 * A property that fails stops shrinking after this long and reports the smallest failing case so far
 * (with its seed and path); jest's own timeout, a little later, would report nothing.
 */
const PROPERTY_TIME_LIMIT_MS = 75_000;
const TEST_TIMEOUT_MS = 90_000;

/**
 * The real process object: jest gives a test a copy of `process` whose listeners never hear the
 * process's own events, so the unhandled-rejection listener goes on the original.
 */
const realProcess = (Module as unknown as { _load(id: string): NodeJS.Process })._load('process');

type Live = (step: 'login' | 'consent') => Promise<LiveValues>;

/**
 * Out of the run-wide log scan (test/setup/log-scan*.ts), which notes whatever crosses a secret's place
 * as a secret: here that is generated junk (`undefined`, `<%= 7*7 %>`), which may be in any log line as a
 * user agent or a grant type. Without the run folder nothing of this file is noted or captured; the
 * suite checks its server's log itself, for the secrets that are real (harness.ts `leakedSecrets`).
 */
const runDir = process.env.TEST_ARTIFACTS_RUN_DIR;
beforeAll(() => {
  delete process.env.TEST_ARTIFACTS_RUN_DIR;
});
afterAll(() => {
  if (runDir !== undefined) process.env.TEST_ARTIFACTS_RUN_DIR = runDir;
});

function suite(storeName: string, makeStore: () => Promise<Store>, runs: (full: number) => number, countAtLeast: number) {
  describe(`the HTTP surface under generated requests (${storeName} store, seed ${SEED})`, () => {
    let target: Target;
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);

    beforeAll(async () => {
      realProcess.on('unhandledRejection', onRejection);
      target = await startTarget(await makeStore());
    });
    afterAll(async () => {
      realProcess.off('unhandledRejection', onRejection);
      await target?.close();
    });

    /** `numRuns` cases of BATCH requests each; `live` refreshes the run-time values before each case. */
    function check(arb: fc.Arbitrary<Generated>, numRuns: number, live?: Live): Promise<void> {
      const cases = fc.tuple(fc.constantFrom<'login' | 'consent'>('login', 'consent'), fc.array(arb, { minLength: BATCH, maxLength: BATCH }));
      return fc.assert(
        fc.asyncProperty(cases, async ([step, batch]) => target.send(batch, live ? await live(step) : {})),
        {
          seed: SEED,
          numRuns: runs(numRuns),
          endOnFailure: process.env.PROPERTY_NO_SHRINK === '1',
          interruptAfterTimeLimit: PROPERTY_TIME_LIMIT_MS,
          markInterruptAsFailure: true,
        },
      );
    }

    test('discovery, /jwks, /healthz, /readyz, /static and addresses that do not exist', () => check(surfaceRequests(), 90), TEST_TIMEOUT_MS);

    test('/auth', () => check(authorizationRequests(target.fixture), 90, () => target.tokens()), TEST_TIMEOUT_MS);

    test('/token: grants, client authentication (Basic, post, JWT assertions) and DPoP proofs', () => check(tokenRequests(target.fixture), 100, () => target.grant()), TEST_TIMEOUT_MS);

    test('/token/revocation and /token/introspection', () => check(tokenManagementRequests(target.fixture), 60, () => target.grant()), TEST_TIMEOUT_MS);

    test('/request (PAR)', () => check(parRequests(target.fixture), 40, () => target.tokens()), TEST_TIMEOUT_MS);

    test('/me with bearer tokens, DPoP proofs and none', () => check(userinfoRequests(target.fixture), 60, () => target.tokens()), TEST_TIMEOUT_MS);

    test('/session/end with crafted ID token hints, and its confirmation', () => check(endSessionRequests(target.fixture), 60, () => target.logoutPage()), TEST_TIMEOUT_MS);

    test('/interaction/:uid and its login, consent and abort POSTs', () => check(interactionRequests(), 80, (step) => target.interaction(step)), TEST_TIMEOUT_MS);

    test('/account and its POSTs', () => check(accountRequests(), 60, () => target.accountSession()), TEST_TIMEOUT_MS);

    test(`afterwards the process is whole: /healthz answers, no unhandled rejection, at least ${countAtLeast} requests`, async () => {
      const health = await fetch(`${target.srv.url}/healthz`);
      expect(health.status).toBe(200);
      expect(rejections).toEqual([]);
      expect(target.client.sent).toBeGreaterThanOrEqual(countAtLeast);
    });

    test('nothing was logged as an error, and no secret reached the log', () => {
      const errors = target.srv.logs().filter((line) => typeof line.level === 'number' && line.level >= 50);
      expect(errors.map((line) => `${String(line.msg)}: ${JSON.stringify(line.err ?? {}).slice(0, 300)}`)).toEqual([]);
      // Only how many: the values themselves must not reach the test output either.
      expect(target.leakedSecrets().length).toBe(0);
    });
  });
}

suite('memory', async () => createMemoryStore(), (n) => n, MIN_REQUESTS);
suite('mongodb', () => mongoTestStore(), (n) => Math.ceil(n / 8), 1_000);
