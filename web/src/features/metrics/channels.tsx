// Portal versus e-mail: how client questions came, per week and per client.
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { date } from '@/lib/format';
import { Empty, QueryState } from '@/components/ui/states';
import { channelsQuery, type ChannelWeek, type ClientChannels, type MetricsFilters } from './api';
import { ChartFigure, DataTable, type Column } from './components';
import { formatNumber, formatShare, shortWeek } from './figures';
import { BarsChart, COLOURS } from './lazy-charts';

/** The e-mail share as a number for the CSV file (0.25), null without questions. */
const emailRatio = (c: { portal: number; email: number }) =>
  c.portal + c.email ? Math.round((c.email / (c.portal + c.email)) * 1000) / 1000 : null;

export function ChannelsSection({ filters }: { filters: MetricsFilters }) {
  const { t } = useTranslation(['metrics', 'common']);
  const report = useQuery(channelsQuery(filters));
  const counts = <T extends ChannelWeek | ClientChannels>(): Column<T>[] => [
    { header: t('channel.portal'), cell: (r) => formatNumber(r.portal), csv: (r) => r.portal, num: true },
    { header: t('channel.email'), cell: (r) => formatNumber(r.email), csv: (r) => r.email, num: true },
    {
      header: t('channels.total'),
      cell: (r) => formatNumber(r.portal + r.email),
      csv: (r) => r.portal + r.email,
      num: true,
    },
    {
      header: t('channels.emailShare'),
      cell: (r) => formatShare(r.email, r.portal + r.email) ?? t('common:none'),
      csv: emailRatio,
      num: true,
    },
  ];
  const weekColumns: Column<ChannelWeek>[] = [
    { header: t('table.week'), cell: (w) => date(w.week), csv: (w) => w.week },
    ...counts<ChannelWeek>(),
  ];
  const clientColumns: Column<ClientChannels>[] = [
    { header: t('table.client'), cell: (c) => c.client_name, csv: (c) => c.client_name },
    ...counts<ClientChannels>(),
  ];
  return (
    <section aria-labelledby="metrics-channels">
      <h2 id="metrics-channels">{t('channels.title')}</h2>
      <p className="muted">{t('channels.intro')}</p>
      <QueryState query={report} what={t('channels.loading')}>
        {(d) =>
          d.clients.length === 0 ? (
            <Empty>{t('channels.empty')}</Empty>
          ) : (
            <>
              <ChartFigure
                title={t('channels.weeks.title')}
                description={t('channels.weeks.description')}
                chart={
                  <BarsChart
                    stacked
                    title={t('channels.weeks.title')}
                    description={t('channels.weeks.description')}
                    data={d.weeks}
                    x="week"
                    xFormat={shortWeek}
                    yFormat={(v) => formatNumber(v)}
                    series={[
                      { key: 'portal', name: t('channel.portal'), colour: COLOURS.first },
                      { key: 'email', name: t('channel.email'), colour: COLOURS.second },
                    ]}
                  />
                }
                table={
                  <DataTable
                    caption={t('channels.weeks.title')}
                    columns={weekColumns}
                    rows={d.weeks}
                    rowKey={(w) => w.week}
                    file="client-questions-per-week"
                  />
                }
              />
              <DataTable
                caption={t('channels.clients')}
                columns={clientColumns}
                rows={d.clients}
                rowKey={(c) => c.client_id}
                file="client-questions-per-client"
              />
            </>
          )
        }
      </QueryState>
    </section>
  );
}
