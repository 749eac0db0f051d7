// Response times: how long Replies wait for the other side's answer, in business hours.
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { date } from '@/lib/format';
import { Empty, QueryState } from '@/components/ui/states';
import {
  responsivenessQuery,
  type Asked,
  type GroupResponses,
  type MetricsFilters,
  type ResponseFigures,
  type WeekResponses,
} from './api';
import { ChartFigure, DataTable, Figures, type Column } from './components';
import { formatNumber, formatShare, shortWeek, toHours, useDurations } from './figures';
import { COLOURS, LinesChart } from './lazy-charts';

const ASKED: Asked[] = ['by_clients', 'by_agency'];

const hoursOrNone = (seconds: number | null | undefined) =>
  seconds === null || seconds === undefined ? null : toHours(seconds);

/** The figures every row of a response-time table has, after its first column. */
function useFigureColumns<T extends ResponseFigures>(): Column<T>[] {
  const { t } = useTranslation('metrics');
  const durations = useDurations();
  return [
    { header: t('responses.columns.asked'), cell: (r) => formatNumber(r.asked), csv: (r) => r.asked, num: true },
    {
      header: t('responses.columns.answered'),
      cell: (r) => formatNumber(r.answered),
      csv: (r) => r.answered,
      num: true,
    },
    { header: t('responses.columns.open'), cell: (r) => formatNumber(r.open), csv: (r) => r.open, num: true },
    {
      header: t('responses.columns.within'),
      cell: (r) => formatNumber(r.within_target),
      csv: (r) => r.within_target,
      num: true,
    },
    {
      header: t('responses.columns.median'),
      cell: (r) => durations.hours(r.median_seconds),
      csv: (r) => hoursOrNone(r.median_seconds),
      num: true,
    },
    {
      header: t('responses.columns.p90'),
      cell: (r) => durations.hours(r.p90_seconds),
      csv: (r) => hoursOrNone(r.p90_seconds),
      num: true,
    },
  ];
}

export function ResponsivenessSection({
  filters,
  asked,
  onAsked,
}: {
  filters: MetricsFilters;
  asked: Asked;
  onAsked: (asked: Asked) => void;
}) {
  const { t } = useTranslation(['metrics', 'common']);
  const report = useQuery(responsivenessQuery(filters, asked));
  const durations = useDurations();
  const figures = useFigureColumns<GroupResponses>();
  const weekFigures = useFigureColumns<WeekResponses>();
  const groupColumns = (header: string): Column<GroupResponses>[] => [
    { header, cell: (g) => g.name, csv: (g) => g.name },
    ...figures,
  ];
  const weekColumns: Column<WeekResponses>[] = [
    { header: t('table.week'), cell: (w) => date(w.week), csv: (w) => w.week },
    ...weekFigures,
  ];
  const weekly = (report.data?.by_week ?? []).map((w) => ({
    week: w.week,
    median: hoursOrNone(w.median_seconds),
    p90: hoursOrNone(w.p90_seconds),
  }));

  return (
    <section aria-labelledby="metrics-responses">
      <h2 id="metrics-responses">{t('responses.title')}</h2>
      <fieldset>
        <legend>{t('responses.whose')}</legend>
        {ASKED.map((a) => (
          <label key={a} className="checkbox">
            <input type="radio" name="metrics-asked" value={a} checked={asked === a} onChange={() => onAsked(a)} />
            {t(`responses.asked.${a}`)}
          </label>
        ))}
      </fieldset>
      <p className="muted">{t(`responses.intro.${asked}`)}</p>
      <QueryState query={report} what={t('responses.loading')}>
        {(d) =>
          d.totals.asked === 0 ? (
            <Empty>{t('responses.empty')}</Empty>
          ) : (
            <>
              <Figures
                items={[
                  { label: t('responses.median'), value: durations.businessHours(d.totals.median_seconds) },
                  { label: t('responses.p90'), value: durations.businessHours(d.totals.p90_seconds) },
                  {
                    label: t('responses.commitment'),
                    value: t('units.businessHours', { count: d.target_hours, hours: formatNumber(d.target_hours) }),
                  },
                  {
                    label: t('responses.withinTarget'),
                    value: t('responses.withinTargetValue', {
                      within: formatNumber(d.totals.within_target),
                      answered: formatNumber(d.totals.answered),
                    }),
                    hint: formatShare(d.totals.within_target, d.totals.answered) ?? undefined,
                  },
                  { label: t('responses.askedCount'), value: formatNumber(d.totals.asked) },
                  { label: t('responses.answeredCount'), value: formatNumber(d.totals.answered) },
                  { label: t('responses.openCount'), value: formatNumber(d.totals.open) },
                ]}
              />
              <ChartFigure
                title={t('responses.weeks.title')}
                description={t('responses.weeks.description')}
                chart={
                  <LinesChart
                    title={t('responses.weeks.title')}
                    description={t('responses.weeks.description')}
                    data={weekly}
                    x="week"
                    xFormat={shortWeek}
                    yFormat={(v) => formatNumber(v, 1)}
                    reference={{ y: d.target_hours, label: t('responses.commitment') }}
                    series={[
                      { key: 'median', name: t('responses.weeks.median'), colour: COLOURS.first },
                      { key: 'p90', name: t('responses.weeks.p90'), colour: COLOURS.second, dashed: true },
                    ]}
                  />
                }
                table={
                  <DataTable
                    caption={t('responses.weeks.title')}
                    columns={weekColumns}
                    rows={d.by_week}
                    rowKey={(w) => w.week}
                    file={`response-times-per-week-${asked}`}
                  />
                }
              />
              <DataTable
                caption={t('responses.byClient')}
                columns={groupColumns(t('table.client'))}
                rows={d.by_client}
                rowKey={(g) => g.id}
                file={`response-times-per-client-${asked}`}
              />
              <DataTable
                caption={t('responses.byProject')}
                columns={groupColumns(t('table.project'))}
                rows={d.by_project}
                rowKey={(g) => g.id}
                file={`response-times-per-project-${asked}`}
                empty={filters.client_id ? undefined : t('responses.projectsOfAClient')}
              />
              <DataTable
                caption={t(`responses.byStaff.${asked}`)}
                columns={groupColumns(t('table.staff'))}
                rows={d.by_staff}
                rowKey={(g) => g.id}
                file={`response-times-per-staff-member-${asked}`}
              />
            </>
          )
        }
      </QueryState>
    </section>
  );
}
