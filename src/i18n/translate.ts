/**
 * `t(key, params)`: a catalog entry with its `{name}` parameters filled in. Keys and parameters are
 * typed from the catalog, so a plain module gets a compile error for a typo; templates (untyped) get an
 * exception instead, which the page tests turn into a failing test rather than a raw key on screen.
 */
import { en } from './en.ts';

/** The one catalog today (frozen: modules read it, never change it); a second language is a second object of the same shape. */
export const messages = Object.freeze(en);

export type Messages = typeof messages;
export type MessageKey = keyof Messages;
type Plural = { readonly one: string; readonly other: string };

type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;
type PlaceholdersOf<M> = M extends string ? Placeholders<M> : M extends Plural ? Placeholders<M['one'] | M['other']> | 'count' : never;

/** The parameters entry `K` needs (`count` for plural entries). */
export type MessageParams<K extends MessageKey> = { readonly [P in PlaceholdersOf<Messages[K]>]: P extends 'count' ? number : string | number };

/** No argument when the entry has no parameter, else exactly its parameters. */
export type ParamsArg<K extends MessageKey> = [PlaceholdersOf<Messages[K]>] extends [never] ? [] : [MessageParams<K>];

export type Translate = <K extends MessageKey>(key: K, ...params: ParamsArg<K>) => string;

const plurals = new Intl.PluralRules('en');

function entry(key: string, params: Readonly<Record<string, unknown>>): string {
  if (!Object.hasOwn(messages, key)) throw new Error(`no message ${JSON.stringify(key)} in the catalog`);
  const message = messages[key as MessageKey] as string | Plural;
  if (typeof message === 'string') return message;
  const count = params.count;
  if (typeof count !== 'number') throw new Error(`message ${key} needs a numeric count`);
  return plurals.select(count) === 'one' ? message.one : message.other;
}

function fill(key: string, params: Readonly<Record<string, unknown>>, render: (value: string) => string, escape: (s: string) => string): string {
  const parts = entry(key, params).split(/\{(\w+)\}/);
  return parts
    .map((part, i) => {
      if (i % 2 === 0) return escape(part);
      const value = params[part];
      if (typeof value !== 'string' && typeof value !== 'number') throw new Error(`message ${key} needs the parameter ${part}`);
      return render(String(value));
    })
    .join('');
}

/** The entry as plain text (templates escape it when they print it). */
export const t: Translate = (key, ...params) => fill(key, params[0] ?? {}, (v) => v, (s) => s);

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The entry as HTML with every parameter emphasised (`<strong>` by default): the sentence stays whole
 * for translators while the app's or person's name stands out. Text and parameters are escaped here,
 * so templates print the result raw.
 */
export function tHtml<K extends MessageKey>(key: K, params: MessageParams<K>, tag: 'strong' | 'code' = 'strong'): string {
  return fill(key, params, (v) => `<${tag}>${escapeHtml(v)}</${tag}>`, escapeHtml);
}
