import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { I18n } from './i18n';

describe('I18n', () => {
  let dir: string;
  let i18n: I18n;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'plein-i18n-'));
    mkdirSync(join(dir, 'theme'));
    mkdirSync(join(dir, 'kudos'));
    writeFileSync(join(dir, 'theme', 'en.json'), JSON.stringify({ 'core.hello': 'Hello, {name}', 'core.members_one': '{count} member', 'core.members_other': '{count} members', 'kudos.title': 'Thanks (theme)' }));
    writeFileSync(join(dir, 'theme', 'nl.json'), JSON.stringify({ 'core.hello': 'Hallo, {name}', 'core.members_one': '{count} lid', 'core.members_other': '{count} leden' }));
    writeFileSync(join(dir, 'kudos', 'en.json'), JSON.stringify({ kudos: { title: 'Kudos', only: 'Only in English' } }));
    writeFileSync(join(dir, 'kudos', 'nl.json'), JSON.stringify({ kudos: { title: 'Kudos (nl)' } }));
    i18n = new I18n(join(dir, 'theme'), new Map([['kudos', join(dir, 'kudos')]]));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fills placeholders and picks the plural form the language uses', () => {
    expect(i18n.t('nl', 'core.hello', { name: 'Ada' })).toBe('Hallo, Ada');
    expect(i18n.t('en', 'core.members', { count: 1 })).toBe('1 member');
    expect(i18n.t('nl', 'core.members', { count: 1234 })).toBe('1.234 leden');
    expect(i18n.t('en', 'core.members', { count: 1234 })).toBe('1,234 members');
  });

  it('falls back to English, then to the key itself, so plain sentences pass through', () => {
    expect(i18n.t('nl', 'kudos.only')).toBe('Only in English');
    expect(i18n.t('nl', 'Thanks sent')).toBe('Thanks sent');
  });

  it("lets the theme's catalogue override a plugin's", () => {
    expect(i18n.t('en', 'kudos.title')).toBe('Thanks (theme)');
    expect(i18n.t('nl', 'kudos.title')).toBe('Kudos (nl)');
  });

  it("refuses a plugin catalogue with keys outside the plugin's namespace, naming the plugin", () => {
    mkdirSync(join(dir, 'rogue'));
    writeFileSync(join(dir, 'rogue', 'en.json'), JSON.stringify({ 'core.login.title': 'Gotcha' }));
    expect(() => new I18n(join(dir, 'theme'), new Map([['rogue', join(dir, 'rogue')]]))).toThrow("Plugin 'rogue': expected message keys that start with 'rogue.', found 'core.login.title'");
  });

  it("chooses the user's language, else the browser's best match, else English", () => {
    expect(i18n.locales).toEqual(['en', 'nl']);
    expect(i18n.negotiate('nl', 'en-GB')).toBe('nl');
    expect(i18n.negotiate(null, 'de-DE,nl-BE;q=0.8,en;q=0.5')).toBe('nl');
    expect(i18n.negotiate(null, 'en;q=0.2, nl;q=0.9')).toBe('nl');
    expect(i18n.negotiate('fr', 'fr-FR')).toBe('en');
    expect(i18n.negotiate(undefined, undefined)).toBe('en');
  });

  it('formats dates and numbers per locale', () => {
    const at = new Date('2026-03-05T14:07:00Z');
    expect(i18n.date('nl', at)).toMatch(/5 mrt 2026/);
    expect(i18n.date('en', at)).toMatch(/Mar 5, 2026/);
    expect(i18n.number('nl', 1234.5)).toBe('1.234,5');
    expect(i18n.date('en', 'not a date')).toBe('');
  });
});
