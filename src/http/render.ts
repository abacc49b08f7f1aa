/**
 * Server-rendered pages from views/ (Eta templates, HTML-escaped by default). Every page goes through the
 * layout, and every page gets the product name, so the look lives in one place.
 */
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';

export type PageName = 'login' | 'consent' | 'logout' | 'logged-out' | 'error';

export interface PageRenderer {
  render(page: PageName, data: Record<string, unknown>): string;
}

export const VIEWS_DIR = fileURLToPath(new URL('../../views', import.meta.url));

export function createPageRenderer({ productName, cache }: { productName: string; cache: boolean }): PageRenderer {
  const eta = new Eta({ views: VIEWS_DIR, cache, autoEscape: true, autoTrim: false });
  return {
    render: (page, data) => eta.render(page, { productName, title: productName, ...data }),
  };
}
