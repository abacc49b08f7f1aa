/**
 * /static/theme.css: the configured brand colour as CSS variables, generated once at start. It is a
 * stylesheet of its own because the Content-Security-Policy (`style-src 'self'`) refuses inline styles,
 * and the colours derived from the brand (hover, tint) are computed here so they stay in step with it.
 */
import { DEFAULT_BRAND_COLOR, mix } from '../config/branding.ts';

export function themeStylesheet(brandColor: string = DEFAULT_BRAND_COLOR): string {
  const brand = brandColor.toLowerCase();
  return [
    '/* Generated at start-up from BRAND_COLOR. */',
    ':root {',
    `  --pc-brand: ${brand};`,
    // Darker still for hover and press: keeps at least the brand's own contrast with white text.
    `  --pc-brand-strong: ${mix(brand, '#000000', 0.18)};`,
    // A pale tint for quiet backgrounds; text on it is --pc-text, never the brand.
    `  --pc-brand-tint: ${mix(brand, '#ffffff', 0.9)};`,
    '}',
    '',
  ].join('\n');
}
