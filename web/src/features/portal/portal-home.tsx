import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { StatusBadge } from '@/components/ui/badge';
import { DueDate } from '@/components/ui/due-date';
import { Empty, QueryState } from '@/components/ui/states';
import { useSession } from '@/lib/session';
import { portalQuery } from './api';

const cardTarget = (action: string, url: string | null | undefined, booking: string | null | undefined) =>
  action === 'projects' ? '/projects' : action === 'billing' ? '/billing' : action === 'booking' ? booking : url;

/** `widgets`: further sections of the home (files), which the app composes in; `sinceLastVisit`
 * what changed since the visit that ended at the instant it is given (none on a first visit). */
export function PortalHome({
  widgets,
  sinceLastVisit,
}: {
  widgets?: ReactNode;
  sinceLastVisit?: (lastVisitAt: string | null) => ReactNode;
}) {
  const { t } = useTranslation(['portal', 'common']);
  const portal = useQuery(portalQuery());
  const { me } = useSession();
  return (
    <QueryState query={portal} what={t('portalHome.loading')}>
      {(p) => (
        <>
          <section className="hero">
            {p.logo_url && (
              <img className="hero__logo" src={p.logo_url} alt={t('portalHome.logo', { agency: p.agency_name })} />
            )}
            <h1>{p.welcome}</h1>
          </section>
          {p.cards.length > 0 && (
            <section aria-labelledby="quick-actions">
              <h2 id="quick-actions" className="visually-hidden">
                {t('portalHome.quickActions')}
              </h2>
              <ul className="cards">
                {p.cards.map((c) => {
                  const to = cardTarget(c.action, c.url, p.booking_url);
                  const external = !!to && /^https?:/.test(to);
                  return (
                    <li key={`${c.action}-${c.title}`} className="card card--action">
                      {external ? (
                        <a href={to!} target="_blank" rel="noreferrer">
                          <strong>{c.title}</strong>
                          <span>{c.description}</span>
                        </a>
                      ) : (
                        <Link to={to ?? '/'}>
                          <strong>{c.title}</strong>
                          <span>{c.description}</span>
                        </Link>
                      )}
                    </li>
                  );
                })}
              </ul>
            </section>
          )}
          {sinceLastVisit?.(me?.last_visit_at ?? null)}
          <section aria-labelledby="ongoing">
            <h2 id="ongoing">{t('portalHome.ongoing')}</h2>
            <p>
              <Link to="/tasks">{t('portalHome.allTasks')}</Link>
            </p>
            {p.ongoing_tasks.length === 0 ? (
              <Empty>{t('portalHome.empty')}</Empty>
            ) : (
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t('portalHome.column.task')}</th>
                    <th scope="col">{t('portalHome.column.status')}</th>
                    <th scope="col">{t('portalHome.column.assignee')}</th>
                    <th scope="col">{t('portalHome.column.due')}</th>
                    <th scope="col">{t('portalHome.column.priority')}</th>
                  </tr>
                </thead>
                <tbody>
                  {p.ongoing_tasks.map((task) => (
                    <tr key={task.id}>
                      <td data-label={t('portalHome.column.task')}>
                        <Link to={`/tasks/${task.id}`}>{task.title}</Link>
                        <div className="muted">{task.project_name}</div>
                      </td>
                      <td data-label={t('portalHome.column.status')}>
                        <StatusBadge status={task.status} />
                      </td>
                      <td data-label={t('portalHome.column.assignee')}>{task.assignee_name ?? t('common:none')}</td>
                      <td data-label={t('portalHome.column.due')}>
                        <DueDate due={task.due_date} status={task.status} />
                      </td>
                      <td data-label={t('portalHome.column.priority')}>
                        <StatusBadge status={task.priority} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          {widgets}
        </>
      )}
    </QueryState>
  );
}
