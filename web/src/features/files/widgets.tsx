import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { can } from '@/lib/authorization';
import { filesQuery, type FilesQuery } from '@/lib/files';
import { date, dateTime } from '@/lib/format';
import { useSession } from '@/lib/session';
import { StatusBadge } from '@/components/ui/badge';
import { Empty, QueryState } from '@/components/ui/states';
import { filePath } from './project-files';

function FileList({ query, staff, empty }: { query: FilesQuery; staff: boolean; empty: string }) {
  const { t } = useTranslation('files');
  const files = useQuery(filesQuery(query));
  return (
    <QueryState query={files} what={t('loadingFiles')}>
      {(page) =>
        page.items.length === 0 ? (
          <Empty>{empty}</Empty>
        ) : (
          <ul className="plain">
            {page.items.map((f) => (
              <li key={f.id}>
                <Link to={filePath(staff, f.id)}>{f.name}</Link>{' '}
                <span className="muted">{t('version', { number: f.current.number })}</span>
                {query.review === 'pending' && f.review?.due_date && (
                  <span className="muted"> · {t('widgets.due', { date: date(f.review.due_date) })}</span>
                )}
                {query.review === 'changes_requested' && f.review?.comment && (
                  <div className="muted">{t('quote', { text: f.review.comment })}</div>
                )}
                {!query.review && (
                  <span className="muted">
                    {' '}
                    · {dateTime(f.updated_at)} {f.review && <StatusBadge status={f.review.status} />}
                  </span>
                )}
              </li>
            ))}
          </ul>
        )
      }
    </QueryState>
  );
}

/** The client home's widgets: what awaits their decision, and what is new. */
export function ClientHomeFiles() {
  const { t } = useTranslation('files');
  const { me } = useSession();
  if (!can(me, 'projects.read')) return null;
  return (
    <div className="columns">
      {can(me, 'deliverables.approve') && (
        <section aria-labelledby="awaiting-approval">
          <h2 id="awaiting-approval">{t('widgets.awaitingApproval')}</h2>
          <FileList query={{ review: 'pending' }} staff={false} empty={t('widgets.nothingAwaitsApproval')} />
        </section>
      )}
      <section aria-labelledby="recent-files">
        <h2 id="recent-files">{t('widgets.recent')}</h2>
        <FileList query={{ limit: 5 }} staff={false} empty={t('noFiles')} />
      </section>
    </div>
  );
}

/** The staff dashboard's widgets: what clients have still to decide, and what they sent back. */
export function DashboardFiles() {
  const { t } = useTranslation('files');
  const { me } = useSession();
  if (!can(me, 'projects.read')) return null;
  return (
    <div className="columns">
      <section aria-labelledby="awaiting-feedback">
        <h2 id="awaiting-feedback">{t('widgets.awaitingFeedback')}</h2>
        <FileList query={{ review: 'pending' }} staff empty={t('widgets.nothingAwaitsDecision')} />
      </section>
      <section aria-labelledby="changes-requested">
        <h2 id="changes-requested">{t('widgets.changesRequested')}</h2>
        <FileList query={{ review: 'changes_requested' }} staff empty={t('widgets.noChangesRequested')} />
      </section>
    </div>
  );
}
