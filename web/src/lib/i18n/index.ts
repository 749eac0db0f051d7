// The SPA's languages: i18next with English bundled and German and French fetched when first
// shown, and which one a person reads: their own choice, else their browser's first language
// we ship, else the agency's.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { catalogue, english } from './resources';

export const LANGUAGES = ['en', 'de', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language by its own name, as a language menu lists them (never translated). */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', de: 'Deutsch', fr: 'Français' };

/** The shipped language a BCP 47 tag asks for (`de-CH` → `de`), or null. */
export function shipped(tag: string | null | undefined): Language | null {
  const primary = tag?.trim().split(/[-_]/)[0]?.toLowerCase();
  return (LANGUAGES as readonly string[]).includes(primary ?? '') ? (primary as Language) : null;
}

export interface LanguageSources {
  /** The person's own choice (`MeResponse.language`); null: automatic. */
  chosen?: string | null;
  /** The browser's languages, most wanted first (`navigator.languages`). */
  browser?: readonly string[];
  /** The agency's default (`BrandingResponse.language`), known once signed in. */
  agency?: string | null;
  /** What this browser showed last, so the sign-in page speaks the last reader's language. */
  remembered?: string | null;
}

/** The language to show: a person's choice, else their browser's, else the agency's. */
export function chooseLanguage({ chosen, browser = [], agency, remembered }: LanguageSources): Language {
  return (
    shipped(chosen) ?? shipped(remembered) ?? browser.map(shipped).find((l) => l !== null) ?? shipped(agency) ?? 'en'
  );
}

const REMEMBERED = 'portico.language';

export function rememberedLanguage(): string | null {
  try {
    return localStorage.getItem(REMEMBERED);
  } catch {
    return null;
  }
}

export function browserLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages?.length ? navigator.languages : navigator.language ? [navigator.language] : [];
}

export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  resources: { en: english },
  lng: 'en',
  fallbackLng: 'en',
  supportedLngs: LANGUAGES,
  ns: Object.keys(english),
  defaultNS: 'common',
  // React escapes what it renders; escaping here too would show `&amp;` in names.
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

const fetched = new Map<Language, Promise<void>>([['en', Promise.resolve()]]);

/** Fetches `language`'s catalogue once (English is there from the start). */
function fetchLanguage(language: Language): Promise<void> {
  let pending = fetched.get(language);
  if (!pending) {
    pending = catalogue(language as 'de' | 'fr').then((namespaces) => {
      for (const [ns, messages] of Object.entries(namespaces)) i18n.addResourceBundle(language, ns, messages);
    });
    // A failed fetch (offline) is tried again on the next switch; English shows meanwhile.
    pending.catch(() => fetched.delete(language));
    fetched.set(language, pending);
  }
  return pending;
}

/** Switches the SPA to `language` (and the page's `lang`, for screen readers and hyphenation)
 * once its catalogue is here. */
export async function showLanguage(language: Language, remember: boolean): Promise<void> {
  if (remember) {
    try {
      localStorage.setItem(REMEMBERED, language);
    } catch {
      // Storage can be unavailable (private mode); the next sign-in chooses again.
    }
  }
  await fetchLanguage(language);
  if (typeof document !== 'undefined') document.documentElement.lang = language;
  if (i18n.language !== language) await i18n.changeLanguage(language);
}

/** Before the first render: this browser's language, so the first page is not English first. */
export function startLanguage(): Promise<void> {
  const language = chooseLanguage({ remembered: rememberedLanguage(), browser: browserLanguages() });
  return showLanguage(language, false).catch(() => undefined);
}

/** The locale numbers, money and dates are written in: the language shown, with the region of
 * the browser's matching language (German shown to a de-CH browser writes Swiss amounts). */
export function formattingLocale(language: string = i18n.language, browser = browserLanguages()): string {
  const lang = shipped(language) ?? 'en';
  const regional = browser.find((tag) => shipped(tag) === lang);
  try {
    return regional ? Intl.getCanonicalLocales(regional)[0]! : lang;
  } catch {
    return lang;
  }
}
