import { ConfigError, devWarnings, loadConfig } from '../../src/config/index.ts';

const SECRET = 'a-cookie-secret-that-is-long-enough-0123';
const PROD = { NODE_ENV: 'production', MONGODB_URI: 'mongodb://db:27017/portcullis', ISSUER: 'https://id.example', COOKIE_SECRETS: SECRET };

function refusal(env: Record<string, string>): string {
  try {
    loadConfig({ env });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

test('dev defaults: issuer on localhost:3000, OWASP argon2id parameters, frozen', () => {
  const config = loadConfig({ env: {} });
  expect(config).toMatchObject({ mode: 'development', port: 3000, issuer: 'http://localhost:3000', keysDir: './keys', seedDemo: true });
  expect(config.argon2).toEqual({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
  expect(Object.isFrozen(config)).toBe(true);
  expect(Object.isFrozen(config.ttl)).toBe(true);
  expect(devWarnings(config)).toHaveLength(2);
});

test('ISSUER follows PORT by default', () => {
  expect(loadConfig({ env: { PORT: '4000' } }).issuer).toBe('http://localhost:4000');
});

test('production starts with a persistent store, an https issuer and cookie secrets', () => {
  const config = loadConfig({ env: PROD });
  expect(config).toMatchObject({ mode: 'production', host: '0.0.0.0', seedDemo: false });
  expect(devWarnings(config)).toEqual([]);
});

test.each([
  ['the memory store', { MONGODB_URI: '' }, /set MONGODB_URI/],
  ['an http issuer', { ISSUER: 'http://id.example' }, /set ISSUER to an https:\/\/ URL/],
  ['no cookie secrets', { COOKIE_SECRETS: '' }, /set COOKIE_SECRETS/],
  ['the demo seed', { SEED_DEMO: 'true' }, /unset SEED_DEMO/],
])('production refuses %s, naming what to set', (_what, override, message) => {
  const text = refusal({ ...PROD, ...override });
  expect(text).toMatch(message);
  expect(text.split('\n')).toHaveLength(1);
});

test('production allows an http loopback issuer (a local reverse proxy test)', () => {
  expect(loadConfig({ env: { ...PROD, ISSUER: 'http://127.0.0.1:3000' } }).issuer).toBe('http://127.0.0.1:3000');
});

test.each([
  [{ PORT: 'eighty' }, /PORT/],
  [{ ISSUER: 'ftp://x' }, /ISSUER/],
  [{ COOKIE_SECRETS: 'short' }, /COOKIE_SECRETS entry 1 is shorter than 32/],
  [{ ARGON2_MEMORY_KIB: '1' }, /ARGON2_MEMORY_KIB/],
  [{ TRUST_PROXY: 'maybe' }, /TRUST_PROXY/],
])('a bad value is one line naming the setting: %o', (env, message) => {
  expect(refusal(env)).toMatch(message);
});

test('CONFIG_FILE supplies settings and the environment wins', () => {
  const files: Record<string, string> = { '/etc/portcullis.json': JSON.stringify({ PORT: 4100, TRUST_PROXY: true, KEYS_DIR: '/keys' }) };
  const config = loadConfig({ env: { CONFIG_FILE: '/etc/portcullis.json', KEYS_DIR: '/other' }, readFile: (p) => files[p] ?? '' });
  expect(config).toMatchObject({ port: 4100, trustProxy: true, keysDir: '/other' });
});

test('CONFIG_FILE with an unknown setting or bad JSON is refused', () => {
  expect(() => loadConfig({ env: { CONFIG_FILE: 'c.json' }, readFile: () => '{"PROT": 1}' })).toThrow(/unknown setting PROT/);
  expect(() => loadConfig({ env: { CONFIG_FILE: 'c.json' }, readFile: () => '{' })).toThrow(/not valid JSON/);
});
