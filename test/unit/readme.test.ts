/** The README's configuration table documents every setting the schema reads, and nothing else. */
import { readFileSync } from 'node:fs';
import { settings } from '../../src/config/index.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

test('every setting is in the README table', () => {
  const documented = [...readme.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
  expect(new Set(documented)).toEqual(new Set([...Object.keys(settings), 'CONFIG_FILE']));
});

test('the first screen shows the two commands', () => {
  const firstScreen = readme.split('\n').slice(0, 25).join('\n');
  expect(firstScreen).toContain('npm ci && npm start');
  expect(firstScreen).toContain('npm test');
});
