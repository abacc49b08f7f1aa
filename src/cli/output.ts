/** Printing a command's result: one JSON document on stdout with --json, else plain lines. */
import type { CommandResult } from './command.ts';

export interface Streams {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

export function render(result: CommandResult, json: boolean, streams: Streams): void {
  for (const warning of result.warnings ?? []) streams.stderr.write(`portcullis: warning: ${warning}\n`);
  if (json) streams.stdout.write(`${JSON.stringify(result.json)}\n`);
  else for (const line of result.text) streams.stdout.write(`${line}\n`);
}

/** Rows as tab-separated lines, or one line saying there are none. */
export function table(rows: ReadonlyArray<ReadonlyArray<string>>, none: string): string[] {
  return rows.length === 0 ? [none] : rows.map((cells) => cells.join('\t'));
}
