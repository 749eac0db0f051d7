// Formatting for people: money from integer minor units, dates, statuses.

/** Digits after the decimal point in `currency` (ISO 4217): 2 for EUR, 0 for JPY, 3 for KWD. */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** The reader's locale, for separators and symbols: the browser's first language. */
export function locale(): string {
  return (typeof navigator !== 'undefined' && (navigator.languages?.[0] ?? navigator.language)) || 'en';
}

/** An amount kept in the currency's minor unit (cents, yen, fils), shown in that currency
 * with the reader's separators (1,234.56 € in English, 1.234,56 € in German). */
export function money(minor: number, currency: string, inLocale: string = locale()): string {
  return new Intl.NumberFormat(inLocale, { style: 'currency', currency }).format(minor / 10 ** minorDigits(currency));
}

/** How documents and e-mails in locale `tag` write an amount, as the server does (the
 * locale's separators, the ISO code after): a preview for the locale settings; `null` for a
 * tag the browser cannot read. */
export function documentAmount(tag: string, minor = 123456789, currency = 'EUR'): string | null {
  try {
    const digits = minorDigits(currency);
    const number = new Intl.NumberFormat(tag, { minimumFractionDigits: digits, maximumFractionDigits: digits });
    return `${number.format(minor / 10 ** digits)} ${currency}`;
  } catch {
    return null;
  }
}

export function date(value: string | null | undefined): string {
  if (!value) return '—';
  const d = value.length === 10 ? new Date(`${value}T00:00:00Z`) : new Date(value);
  return new Intl.DateTimeFormat('en', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: value.length === 10 ? 'UTC' : undefined,
  }).format(d);
}

export function dateTime(value: string): string {
  return new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value));
}

export function label(value: string): string {
  return value.replace(/_/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
}
