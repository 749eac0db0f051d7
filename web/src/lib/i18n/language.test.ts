import { chooseLanguage, formattingLocale, shipped, showLanguage } from './index';
import { date, money } from '../format';

describe('which language a person reads', () => {
  it('is their own choice above all', () => {
    expect(chooseLanguage({ chosen: 'fr', browser: ['de-DE'], agency: 'en' })).toBe('fr');
  });

  it('is otherwise their browser’s first language Portico speaks', () => {
    expect(chooseLanguage({ chosen: null, browser: ['it-IT', 'de-CH', 'en'], agency: 'fr' })).toBe('de');
  });

  it('is the agency’s when the browser asks for none Portico speaks, and English last', () => {
    expect(chooseLanguage({ browser: ['it-IT', 'es'], agency: 'fr' })).toBe('fr');
    expect(chooseLanguage({ browser: ['it-IT'] })).toBe('en');
  });

  it('before sign-in, is what this browser showed last', () => {
    expect(chooseLanguage({ remembered: 'de', browser: ['fr-FR'] })).toBe('de');
    expect(chooseLanguage({ remembered: 'xx', browser: ['fr-FR'] })).toBe('fr');
  });

  it('takes a tag by its language only', () => {
    expect(shipped('de-AT')).toBe('de');
    expect(shipped('FR_ch')).toBe('fr');
    expect(shipped('english')).toBeNull();
    expect(shipped(undefined)).toBeNull();
  });
});

describe('the locale numbers and dates are written in', () => {
  it('is the language shown, with the region of the browser’s matching language', () => {
    expect(formattingLocale('de', ['de-CH', 'en'])).toBe('de-CH');
    expect(formattingLocale('de', ['en-GB'])).toBe('de');
    expect(formattingLocale('fr', ['fr-ca'])).toBe('fr-CA');
  });

  it('follows a switch of language, and the page says which it is', async () => {
    await showLanguage('de', false);
    expect(document.documentElement.lang).toBe('de');
    expect(date('2026-03-05')).toBe('5. März 2026');
    expect(money(123456, 'EUR')).toMatch(/^1\.234,56\s€$/);
    await showLanguage('en', false);
    expect(date('2026-03-05')).toMatch(/Mar/);
  });
});
