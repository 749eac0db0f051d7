// Client replies the agency has not answered: by default those past the commitment.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { dateTime } from '@/lib/format';
import { Empty, QueryState } from '@/components/ui/states';
import { awaitingRepliesQuery, type AwaitingReply } from './api';
import { DataTable, type Column } from './components';
import { toHours, useDurations } from './figures';

export function AwaitingSection({
  clientId,
  all,
  onAll,
}: {
  clientId?: string;
  all: boolean;
  onAll: (all: boolean) => void;
}) {
  const { t } = useTranslation(['metrics', 'common']);
  const replies = useQuery(awaitingRepliesQuery(clientId, all));
  const durations = useDurations();
  const columns: Column<AwaitingReply>[] = [
    {
      header: t('awaiting.task'),
      cell: (r) => <Link to={`/staff/tasks/${r.task_id}`}>{r.task_title}</Link>,
      csv: (r) => r.task_title,
    },
    { header: t('awaiting.client'), cell: (r) => r.client_name, csv: (r) => r.client_name },
    { header: t('awaiting.author'), cell: (r) => r.author_name, csv: (r) => r.author_name },
    { header: t('awaiting.askedAt'), cell: (r) => dateTime(r.asked_at), csv: (r) => r.asked_at },
    { header: t('awaiting.channel'), cell: (r) => t(`channel.${r.channel}`), csv: (r) => t(`channel.${r.channel}`) },
    {
      header: t('awaiting.waiting'),
      csvHeader: t('awaiting.waitingHours'),
      cell: (r) => durations.businessHours(r.waiting_seconds),
      csv: (r) => toHours(r.waiting_seconds),
      num: true,
    },
    {
      header: t('awaiting.overdue'),
      cell: (r) => (r.overdue ? <span className="badge badge--overdue">{t('units.yes')}</span> : t('units.no')),
      csv: (r) => (r.overdue ? t('units.yes') : t('units.no')),
    },
  ];
  return (
    <section aria-labelledby="metrics-awaiting">
      <h2 id="metrics-awaiting">{t('awaiting.title')}</h2>
      <label className="checkbox">
        <input type="checkbox" checked={all} onChange={(e) => onAll(e.target.checked)} />
        {t('awaiting.showAll')}
      </label>
      <QueryState query={replies} what={t('awaiting.loading')}>
        {(rows) =>
          rows.length === 0 ? (
            <Empty>{all ? t('awaiting.emptyAll') : t('awaiting.emptyLate')}</Empty>
          ) : (
            <DataTable
              caption={all ? t('awaiting.all') : t('awaiting.late')}
              columns={columns}
              rows={rows}
              rowKey={(r) => r.comment_id}
              file={all ? 'unanswered-client-replies' : 'client-replies-past-the-commitment'}
            />
          )
        }
      </QueryState>
    </section>
  );
}
