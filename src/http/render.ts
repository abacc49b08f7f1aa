/**
 * Server-rendered pages from views/ (Eta templates, HTML-escaped by default). Every page goes through the
 * layout and gets the same helpers, so the look and the words live in one place:
 * `it.t(key, params)` (the catalog, src/i18n), `it.tHtml(key, params)` (the same with the parameters
 * emphasised, printed raw), `it.date(iso)` (a readable UTC date), `it.productName` and `it.logoUrl`.
 * The brand colour is not here: it reaches the page as /static/theme.css (http/theme.ts), because the
 * Content-Security-Policy allows no inline style.
 */
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import { formatDate, t, tHtml } from '../i18n/index.ts';

export type PageName = 'login' | 'consent' | 'logout' | 'logged-out' | 'error' | 'account';

export interface PageRenderer {
  render(page: PageName, data: Record<string, unknown>): string;
}

export interface PageRendererOptions {
  /** Shown in the header and in every title (PRODUCT_NAME). */
  readonly productName?: string;
  /** The header logo instead of the product name's text (LOGO_URL). */
  readonly logoUrl?: string | undefined;
  /** Compile each template once (production) or re-read views/ on every render (development). */
  readonly cache: boolean;
}

export const VIEWS_DIR = fileURLToPath(new URL('../../views', import.meta.url));

export const DEFAULT_PRODUCT_NAME = 'Portcullis';

export function createPageRenderer({ productName = DEFAULT_PRODUCT_NAME, logoUrl, cache }: PageRendererOptions): PageRenderer {
  const eta = new Eta({ views: VIEWS_DIR, cache, autoEscape: true, autoTrim: [false, 'nl'] });
  // The helpers come last: a handler's data can never replace the product name or the catalog.
  const helpers = Object.freeze({ productName, logoUrl, t, tHtml, date: formatDate });
  return {
    render: (page, data) => eta.render(page, { ...data, ...helpers }),
  };
}
