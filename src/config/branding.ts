/**
 * The branding settings' rules: BRAND_COLOR must keep white button text readable (the WCAG 2.2 contrast
 * ratio, computed here), and LOGO_URL must be an https URL or one of our own static files, so a typo
 * cannot ship an unreadable or mixed-content sign-in page.
 * @see https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio
 * @see https://www.w3.org/TR/WCAG22/#dfn-relative-luminance
 */

export const HEX_COLOR = /^#[0-9a-f]{6}$/i;

/** WCAG AA for normal-size text (success criterion 1.4.3). */
export const AA_TEXT_CONTRAST = 4.5;

/** The primary colour the pages ship with (contrast 6.1:1 with white). */
export const DEFAULT_BRAND_COLOR = '#1f5fbf';

type Rgb = readonly [number, number, number];

function parseHex(hex: string): Rgb {
  if (!HEX_COLOR.test(hex)) throw new TypeError(`not a #rrggbb colour: ${hex}`);
  return [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as unknown as Rgb;
}

function toHex(rgb: Rgb): string {
  return `#${rgb.map((c) => Math.round(Math.min(255, Math.max(0, c))).toString(16).padStart(2, '0')).join('')}`;
}

/** Relative luminance of an sRGB colour, 0 (black) to 1 (white). */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = parseHex(hex).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as unknown as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Contrast ratio of two colours, from 1 (identical) to 21 (black on white). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** `colour` moved `amount` (0..1) of the way towards `target`: shades and tints for hover and backgrounds. */
export function mix(colour: string, target: string, amount: number): string {
  const from = parseHex(colour);
  const to = parseHex(target);
  return toHex(from.map((c, i) => c + ((to[i] ?? c) - c) * amount) as unknown as Rgb);
}

/** Why a BRAND_COLOR cannot be used, in one sentence; undefined when it can. */
export function brandColorProblem(value: string): string | undefined {
  if (!HEX_COLOR.test(value)) return `${value} is not a colour of the form #rrggbb (for example ${DEFAULT_BRAND_COLOR})`;
  const ratio = contrastRatio(value, '#ffffff');
  if (ratio >= AA_TEXT_CONTRAST) return undefined;
  // Rounded down, so a colour just below the bar never reads as 4.50:1.
  const shown = (Math.floor(ratio * 100) / 100).toFixed(2);
  return `${value} gives white button text a contrast of ${shown}:1, below the ${AA_TEXT_CONTRAST}:1 WCAG AA requires; choose a darker colour`;
}

/** LOGO_URL: an https URL (no credentials), or a file served from /static/ (views/static). */
export function isLogoUrl(value: string): boolean {
  if (value.startsWith('/')) return /^\/static\/[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value) && !value.includes('..');
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}
