/** A configuration problem, worded as one line that says what to set. Start-up prints it and exits. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
