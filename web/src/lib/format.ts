// Formatting for people: money from integer minor units, dates, statuses, browsers, in the
// language shown (with the browser's region where it speaks that language).
import Bowser from 'bowser';
import { formattingLocale, i18n } from './i18n';

/** Digits after the decimal point in `currency` (ISO 4217): 2 for EUR, 0 for JPY, 3 for KWD. */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** The reader's locale, for separators, symbols and month names: the language shown. */
export function locale(): string {
  return formattingLocale();
}

/** An amount kept in the currency's minor unit (cents, yen, fils), shown in that currency
 * with the reader's separators (1,234.56 € in English, 1.234,56 € in German). */
export function money(minor: number, currency: string, inLocale: string = locale()): string {
  return new Intl.NumberFormat(inLocale, { style: 'currency', currency }).format(minor / 10 ** minorDigits(currency));
}

/** Whether the server takes `tag` as a document locale: a language of two or three letters,
 * optionally a script and a region, and at most a numbering system its documents draw. */
export function documentLocale(tag: string): boolean {
  return /^(?!und\b)[a-z]{2,3}(-[a-z]{4})?(-([a-z]{2}|[0-9]{3}))?(-u-nu-(latn|arab|arabext))?$/i.test(tag.trim());
}

/** How documents and e-mails in locale `tag` write an amount, as the server does (the
 * locale's separators, the ISO code after): a preview for the locale settings; `null` for a
 * tag the server would refuse. */
export function documentAmount(tag: string, minor = 123456789, currency = 'EUR'): string | null {
  if (!documentLocale(tag)) return null;
  try {
    const digits = minorDigits(currency);
    const write = (t: string) =>
      new Intl.NumberFormat(t, { minimumFractionDigits: digits, maximumFractionDigits: digits })
        .format(minor / 10 ** digits)
        .replace(/[\u061c\u200e\u200f]/g, '');
    let text = write(tag);
    // Digits the documents' font cannot draw become Latin there, as they do here.
    if (/\p{Nd}/u.test(text.replace(/[0-9\u0660-\u0669\u06f0-\u06f9]/g, ''))) text = write(`${tag}-u-nu-latn`);
    return `${text} ${currency}`;
  } catch {
    return null;
  }
}

export function date(value: string | null | undefined): string {
  if (!value) return '—';
  const d = value.length === 10 ? new Date(`${value}T00:00:00Z`) : new Date(value);
  return new Intl.DateTimeFormat(locale(), {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: value.length === 10 ? 'UTC' : undefined,
  }).format(d);
}

export function dateTime(value: string): string {
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value));
}

/** A browser's `User-Agent` as a person names it: "Firefox 140 on Linux"; the raw text when
 * it says nothing recognisable, "Unknown browser" without one. */
export function browserName(userAgent: string | null | undefined): string {
  if (!userAgent) return i18n.t('browser.unknown');
  const parsed = Bowser.parse(userAgent);
  const browser = [parsed.browser.name, parsed.browser.version?.split('.')[0]].filter(Boolean).join(' ');
  const os = parsed.os.name;
  if (!browser) return userAgent;
  return os ? i18n.t('browser.on', { browser, os }) : browser;
}

export function label(value: string): string {
  return value.replace(/_/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
}

/** Today's date here, as the API writes dates (`YYYY-MM-DD`). */
export function today(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** A task still open whose due date has passed (a task due today is not yet overdue). */
export function isOverdue(due: string | null | undefined, status: string, now = new Date()): boolean {
  return !!due && status !== 'done' && due.slice(0, 10) < today(now);
}
