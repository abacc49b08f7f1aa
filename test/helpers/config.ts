/** Configuration refusals as a test sees them: the one-line ConfigError message. */
import { expect } from '@jest/globals';
import { ConfigError, loadConfig } from '../../src/config/index.ts';

/** The message loadConfig refuses `env` with; fails the test when it is accepted. */
export function configRefusal(env: Record<string, string>): string {
  try {
    loadConfig({ env });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}
