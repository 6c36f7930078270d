import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The colours of the high-contrast theme, computed as WCAG 2.x defines contrast: each pair a
 * foreground and the background it is drawn on, read from the custom properties the theme's CSS
 * declares in `:root`. Text needs 4.5:1 (AA); borders of controls and the focus ring need 3:1
 * (WCAG 1.4.11, non-text contrast).
 */
const CSS = readFileSync(join(__dirname, '..', 'public', 'high-contrast.css'), 'utf8');

/** `--name` → `#rrggbb`, from the `:root` block. */
function declaredColours(css: string): Map<string, string> {
  const root = /:root\s*\{([^}]*)\}/.exec(css.replace(/\/\*[\s\S]*?\*\//g, ''));
  if (!root) throw new Error('expected a :root block declaring the colours in high-contrast.css, found none');
  const colours = new Map<string, string>();
  for (const m of root[1].matchAll(/(--[a-z0-9-]+)\s*:\s*([^;]+);/g)) colours.set(m[1], m[2].trim());
  return colours;
}

/** sRGB channel (0–255) → linear light, as WCAG's relative luminance defines it. */
function linear(channel: number): number {
  const c = channel / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** Relative luminance of `#rgb` or `#rrggbb`: 0.2126 R + 0.7152 G + 0.0722 B of the linear channels. */
function luminance(hex: string): number {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex);
  if (!m) throw new Error(`expected a colour as #rgb or #rrggbb, found '${hex}'`);
  const digits = m[1].length === 3 ? [...m[1]].map((d) => d + d).join('') : m[1];
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16));
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** (L1 + 0.05) / (L2 + 0.05), the lighter over the darker: 1 to 21. */
function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

const TEXT = 4.5;
const UI = 3;

/**
 * [foreground, background, minimum, where]. A name is a custom property of `:root`; `#fff` is the
 * button text plein.css (the default theme's stylesheet, loaded first) draws on the accent.
 */
const PAIRS: Array<[string, string, number, string]> = [
  ['--fg', '--bg', TEXT, 'body text'],
  ['--muted', '--bg', TEXT, 'secondary text, hints, metadata'],
  ['--fg', '--soft', TEXT, 'text on shaded panels and code'],
  ['--muted', '--soft', TEXT, 'secondary text on shaded panels'],
  ['--accent', '--bg', TEXT, 'links, secondary buttons'],
  ['--accent', '--soft', TEXT, 'links and secondary buttons on shaded panels, hovered'],
  ['--accent-dark', '--bg', TEXT, 'hovered links'],
  ['--visited', '--bg', TEXT, 'visited links'],
  ['#ffffff', '--accent', TEXT, 'button text'],
  ['#ffffff', '--accent-dark', TEXT, 'hovered button text'],
  ['--danger', '--bg', TEXT, 'danger buttons, missing wiki links'],
  ['--danger', '--err-bg', TEXT, 'hovered danger buttons'],
  ['--bg', '--fg', TEXT, 'badges (unread counts)'],
  ['--ok-fg', '--ok-bg', TEXT, 'success messages'],
  ['--info-fg', '--info-bg', TEXT, 'notes, notices, my reactions'],
  ['--warn-fg', '--warn-bg', TEXT, 'warnings'],
  ['--err-fg', '--err-bg', TEXT, 'errors and the form error summary'],
  ['--visited', '--err-bg', TEXT, 'visited links in the form error summary'],
  ['--fg', '--focus-halo', TEXT, 'a focused link'],
  ['--fg', '--mark-bg', TEXT, 'search matches'],
  ['--fg', '--diff-old-bg', TEXT, 'removed text in a wiki diff'],
  ['--fg', '--diff-new-bg', TEXT, 'added text in a wiki diff'],
  ['--control', '--bg', UI, 'borders of inputs, selects, text areas, reactions'],
  ['--line', '--bg', UI, 'edges of cards, tags, tables, panels'],
  ['--border', '--bg', UI, "edges the wiki's stylesheet draws (sidebar, contents, preview)"],
  ['--focus', '--bg', UI, 'the focus ring'],
  ['--focus', '--focus-halo', UI, 'the focus ring on its halo'],
  ['--accent', '--bg', UI, 'edges of buttons'],
  ['--ok-fg', '--bg', UI, 'edge of a solved answer'],
];

describe('high-contrast theme colours', () => {
  const colours = declaredColours(CSS);
  const colour = (name: string) => {
    if (name.startsWith('#')) return name;
    const value = colours.get(name);
    if (!value) throw new Error(`expected ${name} to be declared in :root of high-contrast.css, found no such property`);
    return value;
  };

  it('computes contrast the way WCAG does', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#fff', '#fff')).toBe(1);
    // Published reference values: #767676 is the lightest grey with 4.5:1 on white.
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(contrastRatio('#777777', '#ffffff')).toBeLessThan(4.5);
  });

  it.each(PAIRS)('%s on %s reaches %d:1 (%s)', (fg, bg, minimum) => {
    const ratio = contrastRatio(colour(fg), colour(bg));
    expect(ratio).toBeGreaterThanOrEqual(minimum);
  });

  it('checks every colour the theme declares in at least one pair', () => {
    const used = new Set(PAIRS.flatMap(([fg, bg]) => [fg, bg]));
    expect([...colours.keys()].filter((name) => !used.has(name))).toEqual([]);
  });

  it('keeps body text at AAA (7:1) or better', () => {
    expect(contrastRatio(colour('--fg'), colour('--bg'))).toBeGreaterThanOrEqual(7);
    expect(contrastRatio(colour('--muted'), colour('--bg'))).toBeGreaterThanOrEqual(7);
    expect(contrastRatio(colour('--accent'), colour('--bg'))).toBeGreaterThanOrEqual(7);
  });
});
