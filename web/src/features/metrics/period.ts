// The page's filters live in the URL (`?period=26w&client_id=…`), so a view can be bookmarked,
// shared and linked to (a client's page links to `/staff/metrics?client_id=…`).
import type { Asked, MetricsFilters } from './api';

export const PERIODS = ['4w', '12w', '26w', '52w', 'custom'] as const;
export type Period = (typeof PERIODS)[number];
export const DEFAULT_PERIOD: Period = '12w';
const WEEKS: Record<Exclude<Period, 'custom'>, number> = { '4w': 4, '12w': 12, '26w': 26, '52w': 52 };

/** What the URL asks for: a period (custom: days `from`–`to`, both inclusive, either open),
 * a client, whose wait the response times are about, and every unanswered reply or only late ones. */
export interface MetricsView {
  period: Period;
  /** Days as a date field writes them (`YYYY-MM-DD`), for a custom period. */
  from: string;
  to: string;
  clientId?: string;
  asked: Asked;
  allAwaiting: boolean;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function readView(params: URLSearchParams): MetricsView {
  const period = params.get('period');
  const day = (name: string) => {
    const value = params.get(name) ?? '';
    return DAY.test(value) ? value : '';
  };
  return {
    period: (PERIODS as readonly string[]).includes(period ?? '') ? (period as Period) : DEFAULT_PERIOD,
    from: day('from'),
    to: day('to'),
    clientId: params.get('client_id') || undefined,
    asked: params.get('asked') === 'by_agency' ? 'by_agency' : 'by_clients',
    allAwaiting: params.get('all') === 'true',
  };
}

/** `params` with `changes` made: a value sets its parameter, `undefined` removes it (defaults
 * are left out, so the plain page has a plain URL). */
export function withChanges(params: URLSearchParams, changes: Partial<MetricsView>): URLSearchParams {
  const view = { ...readView(params), ...changes };
  const next = new URLSearchParams(params);
  const put = (name: string, value: string | undefined) => (value ? next.set(name, value) : next.delete(name));
  put('period', view.period === DEFAULT_PERIOD ? undefined : view.period);
  put('from', view.period === 'custom' ? view.from : undefined);
  put('to', view.period === 'custom' ? view.to : undefined);
  put('client_id', view.clientId);
  put('asked', view.asked === 'by_clients' ? undefined : view.asked);
  put('all', view.allAwaiting ? 'true' : undefined);
  return next;
}

/** A day's first instant here, as RFC 3339; `endOfDay`: the instant after its last. */
export function dayStart(day: string, endOfDay = false): string | undefined {
  if (!day) return undefined;
  const at = new Date(`${day}T00:00:00`);
  if (endOfDay) at.setDate(at.getDate() + 1);
  return at.toISOString();
}

/** The period as the API takes it. The last N weeks start at midnight here N weeks ago and run
 * up to now (so the query's key stays the same all day). */
export function periodFilters(view: MetricsView, now = new Date()): MetricsFilters {
  const filters: MetricsFilters = { client_id: view.clientId };
  if (view.period === 'custom') {
    filters.from = dayStart(view.from);
    filters.to = dayStart(view.to, true);
  } else {
    const start = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 7 * WEEKS[view.period]);
    filters.from = start.toISOString();
  }
  // No `undefined` fields: the query key and the query string stay the same either way.
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) as MetricsFilters;
}
