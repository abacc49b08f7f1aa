/**
 * A minimal browser over fetch: a cookie jar (tough-cookie, RFC 6265 paths and expiry), redirects
 * followed by hand until they leave the issuer (the client's redirect_uri is not a server we run), and
 * forms submitted from the page's own markup, as a person's browser would.
 */
import { CookieJar } from 'tough-cookie';

export interface Page {
  readonly url: string;
  readonly status: number;
  readonly html: string;
  readonly headers: Headers;
}

export interface Form {
  readonly action: string;
  readonly method: string;
  readonly fields: Record<string, string>;
  /** Submit buttons in document order: name/value pairs. */
  readonly buttons: ReadonlyArray<{ name: string | undefined; value: string | undefined; label: string }>;
}

const attr = (tag: string, name: string): string | undefined => {
  const m = new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(tag);
  return m?.[1] === undefined ? undefined : decodeEntities(m[1]);
};

function decodeEntities(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Forms of the page with their inputs and submit buttons; a button with `form="id"` joins form `id`. */
export function parseForms(html: string): Form[] {
  type Button = Form['buttons'][number];
  const forms: Array<Form & { id: string | undefined; buttons: Button[] }> = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const open = m[1] ?? '';
    const inner = m[2] ?? '';
    const fields: Record<string, string> = {};
    for (const input of inner.matchAll(/<input\b[^>]*>/gi)) {
      const name = attr(input[0], 'name');
      if (name && attr(input[0], 'type') !== 'submit') fields[name] = attr(input[0], 'value') ?? '';
    }
    const buttons = [...inner.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/gi)]
      .filter((b) => (attr(b[0], 'type') ?? 'submit') === 'submit')
      .map((b) => ({ name: attr(b[0], 'name'), value: attr(b[0], 'value'), label: (b[2] ?? '').trim() }));
    forms.push({ id: attr(`<x ${open}>`, 'id'), action: attr(`<x ${open}>`, 'action') ?? '', method: attr(`<x ${open}>`, 'method') ?? 'get', fields, buttons });
  }
  for (const b of html.matchAll(/<button\b([^>]*\sform="([^"]+)"[^>]*)>([\s\S]*?)<\/button>/gi)) {
    const target = forms.find((f) => f.id === b[2]);
    target?.buttons.push({ name: attr(b[0], 'name'), value: attr(b[0], 'value'), label: (b[3] ?? '').trim() });
  }
  return forms;
}

export class Browser {
  readonly jar = new CookieJar();
  readonly #origin: string;
  readonly #headers: Record<string, string>;

  /** `headers` are sent with every request (a browser's user agent, say). */
  constructor(issuer: string, headers: Record<string, string> = {}) {
    this.#origin = new URL(issuer).origin;
    this.#headers = headers;
  }

  async #fetchOnce(url: string, init: RequestInit = {}): Promise<Response> {
    const cookie = await this.jar.getCookieString(url);
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(this.#headers)) headers.set(name, value);
    headers.set('accept', 'text/html,application/xhtml+xml');
    if (cookie) headers.set('cookie', cookie);
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) await this.jar.setCookie(c, url, { ignoreError: true });
    return res;
  }

  /** Follows redirects within the issuer; returns the first page outside it (its URL only) or inside it. */
  async navigate(url: string, init: RequestInit = {}): Promise<Page> {
    let current = url;
    let res = await this.#fetchOnce(current, init);
    for (let hops = 0; res.status >= 300 && res.status < 400; hops += 1) {
      if (hops > 20) throw new Error('too many redirects');
      const location = res.headers.get('location');
      if (!location) break;
      current = new URL(location, current).href;
      if (new URL(current).origin !== this.#origin) {
        return { url: current, status: res.status, html: '', headers: res.headers };
      }
      res = await this.#fetchOnce(current);
    }
    return { url: current, status: res.status, html: await res.text(), headers: res.headers };
  }

  /** Submits `form` with `values` over the page's own fields, pressing the button at `buttonIndex`. */
  async submit(page: Page, form: Form, values: Record<string, string> = {}, buttonIndex = 0): Promise<Page> {
    const body = new URLSearchParams({ ...form.fields, ...values });
    const button = form.buttons[buttonIndex];
    if (button?.name) body.set(button.name, button.value ?? '');
    return this.navigate(new URL(form.action, page.url).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  }
}

export function onlyForm(page: Page, index = 0): Form {
  const form = parseForms(page.html)[index];
  if (!form) throw new Error(`no form ${index} on ${page.url} (status ${page.status}): ${page.html.slice(0, 300)}`);
  return form;
}
