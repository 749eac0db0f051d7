// Numbers as the page writes them: in the reader's locale, business hours with one decimal,
// calendar durations in days and hours.
import { useTranslation } from 'react-i18next';
import { locale } from '@/lib/format';

/** A count or measure with the reader's separators; `digits`: exactly that many decimals. */
export function formatNumber(value: number, digits?: number): string {
  return new Intl.NumberFormat(locale(), { minimumFractionDigits: digits, maximumFractionDigits: digits ?? 3 }).format(
    value,
  );
}

/** A share (0.25 → "25 %" in French, "25%" in English), or null without a whole. */
export function formatShare(part: number, whole: number): string | null {
  if (!whole) return null;
  return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 0 }).format(part / whole);
}

/** Seconds as hours, to one decimal (5.5): what tables, charts and CSV files show. */
export function toHours(seconds: number): number {
  return Math.round(seconds / 360) / 10;
}

/** The week a report's Monday starts, short, for a chart's axis ("12 Jan"). */
export function shortWeek(week: string): string {
  return new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(`${week}T00:00:00Z`),
  );
}

/** Words for durations, in the language shown. */
export function useDurations() {
  const { t } = useTranslation(['metrics', 'common']);
  return {
    /** Business seconds as "5.5 business hours"; "—" for none. */
    businessHours(seconds: number | null | undefined): string {
      if (seconds === null || seconds === undefined) return t('common:none');
      const hours = toHours(seconds);
      return t('units.businessHours', { count: hours, hours: formatNumber(hours, 1) });
    },
    /** Business seconds as a table's number ("5.5"); "—" for none. */
    hours(seconds: number | null | undefined): string {
      return seconds === null || seconds === undefined ? t('common:none') : formatNumber(toHours(seconds), 1);
    },
    /** Calendar seconds as "2 days 3 hours", "5 hours", "20 minutes"; "—" for none. */
    calendar(seconds: number | null | undefined): string {
      if (seconds === null || seconds === undefined) return t('common:none');
      const days = Math.floor(seconds / 86_400);
      const hours = Math.floor((seconds % 86_400) / 3600);
      if (days > 0 && hours > 0)
        return t('units.daysHours', {
          days: t('units.days', { count: days, value: formatNumber(days) }),
          hours: t('units.hours', { count: hours, value: formatNumber(hours) }),
        });
      if (days > 0) return t('units.days', { count: days, value: formatNumber(days) });
      if (hours > 0) return t('units.hours', { count: hours, value: formatNumber(hours) });
      const minutes = Math.round(seconds / 60);
      return t('units.minutes', { count: minutes, value: formatNumber(minutes) });
    },
  };
}
