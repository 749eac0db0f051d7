// Adoption: who was invited, who signed in, how soon and how often.
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { date, dateTime } from '@/lib/format';
import { StatusBadge } from '@/components/ui/badge';
import { Empty, QueryState } from '@/components/ui/states';
import { adoptionQuery, type ClientAdoption, type MetricsFilters, type UserAdoption, type WeekLogins } from './api';
import { ChartFigure, DataTable, Figures, type Column } from './components';
import { formatNumber, formatShare, shortWeek, toHours, useDurations } from './figures';
import { BarsChart, COLOURS } from './lazy-charts';

/** The last instant of a period whose end is exclusive, to say the day it ends. */
function lastInstant(to: string): string {
  return new Date(Date.parse(to) - 1).toISOString();
}

const hoursOrNone = (seconds: number | null | undefined) =>
  seconds === null || seconds === undefined ? null : toHours(seconds);

export function AdoptionSection({ filters }: { filters: MetricsFilters }) {
  const { t } = useTranslation(['metrics', 'common']);
  const report = useQuery(adoptionQuery(filters));
  const durations = useDurations();
  const lastVisit = (at: string | null | undefined) => (at ? dateTime(at) : t('units.never'));

  const weekColumns: Column<WeekLogins>[] = [
    { header: t('table.week'), cell: (w) => date(w.week), csv: (w) => w.week },
    { header: t('adoption.weeks.logins'), cell: (w) => formatNumber(w.logins), csv: (w) => w.logins, num: true },
    { header: t('adoption.weeks.people'), cell: (w) => formatNumber(w.people), csv: (w) => w.people, num: true },
  ];
  const clientColumns: Column<ClientAdoption>[] = [
    { header: t('table.client'), cell: (c) => c.client_name, csv: (c) => c.client_name },
    { header: t('adoption.users'), cell: (c) => formatNumber(c.users), csv: (c) => c.users, num: true },
    { header: t('adoption.invited'), cell: (c) => formatNumber(c.invited), csv: (c) => c.invited, num: true },
    { header: t('adoption.accepted'), cell: (c) => formatNumber(c.accepted), csv: (c) => c.accepted, num: true },
    {
      header: t('adoption.active7'),
      cell: (c) => formatNumber(c.active_7_days),
      csv: (c) => c.active_7_days,
      num: true,
    },
    {
      header: t('adoption.active30'),
      cell: (c) => formatNumber(c.active_30_days),
      csv: (c) => c.active_30_days,
      num: true,
    },
    { header: t('adoption.logins'), cell: (c) => formatNumber(c.logins), csv: (c) => c.logins, num: true },
    {
      header: t('adoption.medianToFirstLogin'),
      csvHeader: t('adoption.medianToFirstLoginHours'),
      cell: (c) => durations.calendar(c.median_seconds_to_first_login),
      csv: (c) => hoursOrNone(c.median_seconds_to_first_login),
      num: true,
    },
    { header: t('adoption.lastVisit'), cell: (c) => lastVisit(c.last_visit_at), csv: (c) => c.last_visit_at },
  ];
  const userColumns: Column<UserAdoption>[] = [
    { header: t('adoption.people.name'), cell: (u) => u.name, csv: (u) => u.name },
    { header: t('adoption.people.email'), cell: (u) => u.email, csv: (u) => u.email },
    { header: t('table.client'), cell: (u) => u.client_name, csv: (u) => u.client_name },
    { header: t('adoption.people.status'), cell: (u) => <StatusBadge status={u.status} />, csv: (u) => u.status },
    {
      header: t('adoption.people.invitedAt'),
      cell: (u) => (u.invited_at ? dateTime(u.invited_at) : t('common:none')),
      csv: (u) => u.invited_at,
    },
    {
      header: t('adoption.people.firstLogin'),
      cell: (u) => (u.first_login_at ? dateTime(u.first_login_at) : t('units.never')),
      csv: (u) => u.first_login_at,
    },
    {
      header: t('adoption.people.toFirstLogin'),
      csvHeader: t('adoption.people.toFirstLoginHours'),
      cell: (u) => durations.calendar(u.seconds_to_first_login),
      csv: (u) => hoursOrNone(u.seconds_to_first_login),
      num: true,
    },
    { header: t('adoption.people.lastVisit'), cell: (u) => lastVisit(u.last_visit_at), csv: (u) => u.last_visit_at },
    { header: t('adoption.people.logins'), cell: (u) => formatNumber(u.logins), csv: (u) => u.logins, num: true },
  ];

  return (
    <section aria-labelledby="metrics-adoption">
      <h2 id="metrics-adoption">{t('adoption.title')}</h2>
      <QueryState query={report} what={t('adoption.loading')}>
        {(d) => (
          <>
            <p className="muted">{t('page.showing', { from: date(d.from), to: date(lastInstant(d.to)) })}</p>
            {d.totals.users === 0 ? (
              <Empty>{t('adoption.empty')}</Empty>
            ) : (
              <>
                <Figures
                  items={[
                    { label: t('adoption.users'), value: formatNumber(d.totals.users) },
                    { label: t('adoption.invited'), value: formatNumber(d.totals.invited) },
                    {
                      label: t('adoption.accepted'),
                      value: formatNumber(d.totals.accepted),
                      hint: d.totals.invited
                        ? t('adoption.acceptedShare', { share: formatShare(d.totals.accepted, d.totals.invited) })
                        : undefined,
                    },
                    { label: t('adoption.active7'), value: formatNumber(d.totals.active_7_days) },
                    { label: t('adoption.active30'), value: formatNumber(d.totals.active_30_days) },
                    { label: t('adoption.logins'), value: formatNumber(d.totals.logins) },
                    {
                      label: t('adoption.medianToFirstLogin'),
                      value: durations.calendar(d.totals.median_seconds_to_first_login),
                    },
                    { label: t('adoption.lastVisit'), value: lastVisit(d.totals.last_visit_at) },
                  ]}
                />
                <ChartFigure
                  title={t('adoption.weeks.title')}
                  description={t('adoption.weeks.description')}
                  chart={
                    <BarsChart
                      title={t('adoption.weeks.title')}
                      description={t('adoption.weeks.description')}
                      data={d.weeks}
                      x="week"
                      xFormat={shortWeek}
                      yFormat={(v) => formatNumber(v)}
                      series={[
                        { key: 'logins', name: t('adoption.weeks.logins'), colour: COLOURS.first },
                        { key: 'people', name: t('adoption.weeks.people'), colour: COLOURS.second },
                      ]}
                    />
                  }
                  table={
                    <DataTable
                      caption={t('adoption.weeks.title')}
                      columns={weekColumns}
                      rows={d.weeks}
                      rowKey={(w) => w.week}
                      file="sign-ins-per-week"
                    />
                  }
                />
                <DataTable
                  caption={t('adoption.clients')}
                  columns={clientColumns}
                  rows={d.clients}
                  rowKey={(c) => c.client_id}
                  file="adoption-per-client"
                />
                <DataTable
                  caption={t('adoption.people.title')}
                  columns={userColumns}
                  rows={d.users}
                  rowKey={(u) => u.user_id}
                  file="adoption-per-person"
                />
              </>
            )}
          </>
        )}
      </QueryState>
    </section>
  );
}
