// Satisfaction: the scores (1–5) of the surveys sent in the period, and what clients wrote.
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { date, dateTime } from '@/lib/format';
import { Empty, QueryState } from '@/components/ui/states';
import {
  satisfactionQuery,
  type GroupSatisfaction,
  type MetricsFilters,
  type SurveyAnswer,
  type WeekSatisfaction,
} from './api';
import { ChartFigure, DataTable, Figures, type Column } from './components';
import { formatNumber, formatShare, shortWeek } from './figures';
import { BarsChart, COLOURS, LinesChart } from './lazy-charts';

interface Score {
  score: number;
  answers: number;
  total: number;
}

export function SatisfactionSection({ filters }: { filters: MetricsFilters }) {
  const { t } = useTranslation(['metrics', 'common']);
  const report = useQuery(satisfactionQuery(filters));
  const average = (value: number | null | undefined) =>
    value === null || value === undefined ? t('common:none') : formatNumber(value, 2);
  const figures = <T extends GroupSatisfaction | WeekSatisfaction>(): Column<T>[] => [
    { header: t('satisfaction.columns.sent'), cell: (r) => formatNumber(r.sent), csv: (r) => r.sent, num: true },
    {
      header: t('satisfaction.columns.answered'),
      cell: (r) => formatNumber(r.answered),
      csv: (r) => r.answered,
      num: true,
    },
    {
      header: t('satisfaction.columns.average'),
      cell: (r) => average(r.average),
      csv: (r) => r.average ?? null,
      num: true,
    },
  ];
  const groupColumns = (header: string): Column<GroupSatisfaction>[] => [
    { header, cell: (g) => g.name, csv: (g) => g.name },
    ...figures<GroupSatisfaction>(),
  ];
  const weekColumns: Column<WeekSatisfaction>[] = [
    { header: t('table.week'), cell: (w) => date(w.week), csv: (w) => w.week },
    ...figures<WeekSatisfaction>(),
  ];
  const scoreColumns: Column<Score>[] = [
    { header: t('satisfaction.distribution.score'), cell: (s) => formatNumber(s.score), csv: (s) => s.score },
    {
      header: t('satisfaction.distribution.answers'),
      cell: (s) => formatNumber(s.answers),
      csv: (s) => s.answers,
      num: true,
    },
    {
      header: t('satisfaction.distribution.share'),
      cell: (s) => formatShare(s.answers, s.total) ?? t('common:none'),
      csv: (s) => (s.total ? Math.round((s.answers / s.total) * 1000) / 1000 : null),
      num: true,
    },
  ];
  const about = (a: SurveyAnswer) =>
    t('satisfaction.aboutValue', { subject: t(`satisfaction.subject.${a.subject}`), title: a.title });
  const answerColumns: Column<SurveyAnswer>[] = [
    { header: t('satisfaction.answers.answeredAt'), cell: (a) => dateTime(a.answered_at), csv: (a) => a.answered_at },
    { header: t('satisfaction.answers.client'), cell: (a) => a.client_name, csv: (a) => a.client_name },
    { header: t('satisfaction.answers.person'), cell: (a) => a.person, csv: (a) => a.person },
    { header: t('satisfaction.answers.about'), cell: about, csv: about },
    { header: t('satisfaction.answers.score'), cell: (a) => formatNumber(a.score), csv: (a) => a.score, num: true },
    {
      header: t('satisfaction.answers.comment'),
      cell: (a) => (a.comment ? <span style={{ whiteSpace: 'pre-line' }}>{a.comment}</span> : t('common:none')),
      csv: (a) => a.comment ?? '',
    },
  ];

  return (
    <section aria-labelledby="metrics-satisfaction">
      <h2 id="metrics-satisfaction">{t('satisfaction.title')}</h2>
      <QueryState query={report} what={t('satisfaction.loading')}>
        {(d) => {
          if (d.totals.sent === 0) return <Empty>{t('satisfaction.empty')}</Empty>;
          const total = d.totals.scores.reduce((sum, n) => sum + n, 0);
          const scores: Score[] = [1, 2, 3, 4, 5].map((score) => ({
            score,
            answers: d.totals.scores[score - 1] ?? 0,
            total,
          }));
          const weekly = d.by_week.map((w) => ({ week: w.week, average: w.average ?? null }));
          return (
            <>
              <Figures
                items={[
                  {
                    label: t('satisfaction.average'),
                    value:
                      d.totals.average === null || d.totals.average === undefined
                        ? t('common:none')
                        : t('satisfaction.averageValue', { score: formatNumber(d.totals.average, 2) }),
                  },
                  {
                    label: t('satisfaction.answered'),
                    value: t('satisfaction.answeredValue', {
                      count: d.totals.sent,
                      answered: formatNumber(d.totals.answered),
                    }),
                    hint: formatShare(d.totals.answered, d.totals.sent) ?? undefined,
                  },
                ]}
              />
              <div className="columns">
                <ChartFigure
                  title={t('satisfaction.distribution.title')}
                  description={t('satisfaction.distribution.description')}
                  chart={
                    <BarsChart
                      title={t('satisfaction.distribution.title')}
                      description={t('satisfaction.distribution.description')}
                      data={scores}
                      x="score"
                      yFormat={(v) => formatNumber(v)}
                      series={[{ key: 'answers', name: t('satisfaction.distribution.answers'), colour: COLOURS.first }]}
                    />
                  }
                  table={
                    <DataTable
                      caption={t('satisfaction.distribution.title')}
                      columns={scoreColumns}
                      rows={scores}
                      rowKey={(s) => String(s.score)}
                      file="satisfaction-scores"
                    />
                  }
                />
                <ChartFigure
                  title={t('satisfaction.weeks.title')}
                  description={t('satisfaction.weeks.description')}
                  chart={
                    <LinesChart
                      title={t('satisfaction.weeks.title')}
                      description={t('satisfaction.weeks.description')}
                      data={weekly}
                      x="week"
                      xFormat={shortWeek}
                      yFormat={(v) => formatNumber(v, 1)}
                      yDomain={[1, 5]}
                      series={[{ key: 'average', name: t('satisfaction.average'), colour: COLOURS.first }]}
                    />
                  }
                  table={
                    <DataTable
                      caption={t('satisfaction.weeks.title')}
                      columns={weekColumns}
                      rows={d.by_week}
                      rowKey={(w) => w.week}
                      file="satisfaction-per-week"
                    />
                  }
                />
              </div>
              <DataTable
                caption={t('satisfaction.byClient')}
                columns={groupColumns(t('table.client'))}
                rows={d.by_client}
                rowKey={(g) => g.id}
                file="satisfaction-per-client"
              />
              <DataTable
                caption={t('satisfaction.byProject')}
                columns={groupColumns(t('table.project'))}
                rows={d.by_project}
                rowKey={(g) => g.id}
                file="satisfaction-per-project"
                empty={filters.client_id ? undefined : t('responses.projectsOfAClient')}
              />
              <DataTable
                caption={t('satisfaction.byStaff')}
                columns={groupColumns(t('table.staff'))}
                rows={d.by_staff}
                rowKey={(g) => g.id}
                file="satisfaction-per-staff-member"
              />
              {d.answers.length === 0 ? (
                <Empty>{t('satisfaction.answers.empty')}</Empty>
              ) : (
                <DataTable
                  caption={t('satisfaction.answers.title')}
                  columns={answerColumns}
                  rows={d.answers}
                  rowKey={(a) => a.survey_id}
                  file="satisfaction-answers"
                />
              )}
            </>
          );
        }}
      </QueryState>
    </section>
  );
}
