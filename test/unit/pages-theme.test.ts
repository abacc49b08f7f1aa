/**
 * Colour contrast: BRAND_COLOR is refused at start-up below WCAG AA with white text, the contrast maths
 * matches WCAG's reference values, and the stylesheet's own palette meets AA for every pairing it uses.
 */
import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig } from '../../src/config/index.ts';
import { contrastRatio, isLogoUrl, mix } from '../../src/config/branding.ts';
import { themeStylesheet } from '../../src/http/theme.ts';

function refusal(env: Record<string, string>): string {
  try {
    loadConfig({ env });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('WCAG contrast ratio', () => {
  test.each([
    ['#000000', '#ffffff', 21],
    ['#ffffff', '#ffffff', 1],
    ['#777777', '#ffffff', 4.48],
    ['#767676', '#ffffff', 4.54],
    ['#1f5fbf', '#ffffff', 6.09],
  ])('%s on %s is %s:1', (a, b, expected) => {
    expect(contrastRatio(a, b)).toBeCloseTo(expected, 1);
    expect(contrastRatio(b, a)).toBeCloseTo(expected, 1);
  });
});

describe('BRAND_COLOR', () => {
  test('defaults to the shipped primary and is lower-cased', () => {
    expect(loadConfig({ env: {} }).branding).toEqual({ productName: 'Portcullis', logoUrl: undefined, brandColor: '#1f5fbf' });
    expect(loadConfig({ env: { BRAND_COLOR: '#0B6E4F' } }).branding.brandColor).toBe('#0b6e4f');
  });

  test.each(['#ffcc00', '#777777', '#4d90fe', '#ffffff'])('%s is refused in one line with its contrast', (colour) => {
    const message = refusal({ BRAND_COLOR: colour });
    expect(message).toMatch(/^invalid setting BRAND_COLOR: #[0-9a-f]{6} gives white button text a contrast of \d+\.\d\d:1, below the 4\.5:1 WCAG AA requires; choose a darker colour$/);
    expect(message.split('\n')).toHaveLength(1);
  });

  test('just below the bar is not rounded up to it', () => {
    expect(refusal({ BRAND_COLOR: '#777777' })).toContain('4.47:1');
  });

  test.each(['#767676', '#000000', '#0b6e4f', '#b42318'])('%s is accepted', (colour) => {
    expect(loadConfig({ env: { BRAND_COLOR: colour } }).branding.brandColor).toBe(colour);
  });

  test.each(['blue', '#fff', '1f5fbf', '#1f5fbg', 'rgb(0,0,0)'])('%s is not a #rrggbb colour', (value) => {
    expect(refusal({ BRAND_COLOR: value })).toMatch(/^invalid setting BRAND_COLOR: .* is not a colour of the form #rrggbb/);
  });

  test('the generated theme keeps hover text readable: the darker shade never loses contrast', () => {
    for (const colour of ['#767676', '#1f5fbf', '#0b6e4f', '#000000']) {
      const css = themeStylesheet(colour);
      const strong = /--pc-brand-strong: (#[0-9a-f]{6})/.exec(css)?.[1] ?? '';
      expect(contrastRatio(strong, '#ffffff')).toBeGreaterThanOrEqual(contrastRatio(colour, '#ffffff'));
    }
  });
});

describe('PRODUCT_NAME and LOGO_URL', () => {
  test('are passed through', () => {
    const config = loadConfig({ env: { PRODUCT_NAME: ' Acme ID ', LOGO_URL: '/static/logo.svg' } });
    expect(config.branding).toMatchObject({ productName: 'Acme ID', logoUrl: '/static/logo.svg' });
    expect(Object.isFrozen(config.branding)).toBe(true);
  });

  test.each(['https://cdn.example/logo.png', '/static/logo.svg', '/static/acme-logo_2.png'])('LOGO_URL %s is accepted', (url) => {
    expect(isLogoUrl(url)).toBe(true);
  });

  test.each(['http://cdn.example/logo.png', 'https://user:pw@cdn.example/logo.png', '/static/../secret', '/static/a/b.svg', '/logo.svg', '//evil.example/x.svg', 'javascript:alert(1)', 'data:image/svg+xml,<svg/>'])(
    'LOGO_URL %s is refused',
    (url) => {
      expect(isLogoUrl(url)).toBe(false);
      expect(refusal({ LOGO_URL: url })).toMatch(/^invalid setting LOGO_URL: must be an https:\/\/ URL or a file under \/static\//);
    },
  );

  test('a PRODUCT_NAME longer than 60 characters is refused', () => {
    expect(refusal({ PRODUCT_NAME: 'x'.repeat(61) })).toMatch(/PRODUCT_NAME/);
  });
});

describe('the stylesheet palette meets WCAG AA', () => {
  const css = readFileSync(new URL('../../views/static/style.css', import.meta.url), 'utf8');
  const palette = Object.fromEntries([...css.matchAll(/(--pc-[\w-]+):\s*(#[0-9a-f]{6})\s*;/gi)].map((m) => [m[1], m[2]?.toLowerCase()])) as Record<string, string>;
  const brands = ['#1f5fbf', '#767676', '#0b6e4f', '#b42318', '#5b21b6', '#000000'];

  /** Text (4.5:1) pairs: [foreground, background]. */
  const TEXT: Array<[string, string]> = [
    ['--pc-text', '--pc-surface'],
    ['--pc-text', '--pc-bg'],
    ['--pc-muted', '--pc-surface'],
    ['--pc-muted', '--pc-bg'],
    ['--pc-danger', '--pc-danger-tint'],
    ['--pc-danger', '--pc-surface'],
    ['--pc-success', '--pc-success-tint'],
    ['--pc-on-brand', '--pc-brand'],
  ];
  /** Control boundaries and focus rings (3:1, WCAG 1.4.11). */
  const NON_TEXT: Array<[string, string]> = [
    ['--pc-control', '--pc-surface'],
    ['--pc-danger', '--pc-surface'],
  ];

  test('the palette is the one the tests know', () => {
    for (const name of ['--pc-text', '--pc-muted', '--pc-surface', '--pc-bg', '--pc-control', '--pc-danger', '--pc-danger-tint', '--pc-success', '--pc-success-tint', '--pc-on-brand', '--pc-brand']) {
      expect(palette[name]).toMatch(/^#[0-9a-f]{6}$/);
    }
  });

  test.each(TEXT)('text %s on %s ≥ 4.5:1', (fg, bg) => {
    expect(contrastRatio(palette[fg] ?? '', palette[bg] ?? '')).toBeGreaterThanOrEqual(4.5);
  });

  test.each(NON_TEXT)('control %s on %s ≥ 3:1', (fg, bg) => {
    expect(contrastRatio(palette[fg] ?? '', palette[bg] ?? '')).toBeGreaterThanOrEqual(3);
  });

  test.each(brands)('with brand %s: links and focus rings on the card and the page, text on the tint', (brand) => {
    const tint = mix(brand, '#ffffff', 0.9);
    expect(contrastRatio(brand, palette['--pc-surface'] ?? '')).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(brand, palette['--pc-bg'] ?? '')).toBeGreaterThanOrEqual(3);
    expect(contrastRatio(brand, tint)).toBeGreaterThanOrEqual(3);
    for (const fg of ['--pc-text', '--pc-muted']) expect(contrastRatio(palette[fg] ?? '', tint)).toBeGreaterThanOrEqual(4.5);
  });

  test('the built-in fallbacks in style.css match the generated theme for the default colour', () => {
    const theme = themeStylesheet();
    for (const name of ['--pc-brand', '--pc-brand-strong', '--pc-brand-tint']) {
      expect(theme).toContain(`${name}: ${palette[name]};`);
    }
  });
});
