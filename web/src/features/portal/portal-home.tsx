import type { ReactNode } from 'react';
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
  const portal = useQuery(portalQuery());
  const { me } = useSession();
  return (
    <QueryState query={portal} what="Loading your portal">
      {(p) => (
        <>
          <section className="hero">
            {p.logo_url && <img className="hero__logo" src={p.logo_url} alt={`${p.agency_name} logo`} />}
            <h1>{p.welcome}</h1>
          </section>
          {p.cards.length > 0 && (
            <section aria-labelledby="quick-actions">
              <h2 id="quick-actions" className="visually-hidden">
                Quick actions
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
            <h2 id="ongoing">Ongoing tasks</h2>
            <p>
              <Link to="/tasks">All my tasks</Link>
            </p>
            {p.ongoing_tasks.length === 0 ? (
              <Empty>Nothing in progress right now.</Empty>
            ) : (
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Task</th>
                    <th scope="col">Status</th>
                    <th scope="col">Assignee</th>
                    <th scope="col">Due</th>
                    <th scope="col">Priority</th>
                  </tr>
                </thead>
                <tbody>
                  {p.ongoing_tasks.map((t) => (
                    <tr key={t.id}>
                      <td data-label="Task">
                        <Link to={`/tasks/${t.id}`}>{t.title}</Link>
                        <div className="muted">{t.project_name}</div>
                      </td>
                      <td data-label="Status">
                        <StatusBadge status={t.status} />
                      </td>
                      <td data-label="Assignee">{t.assignee_name ?? '—'}</td>
                      <td data-label="Due">
                        <DueDate due={t.due_date} status={t.status} />
                      </td>
                      <td data-label="Priority">
                        <StatusBadge status={t.priority} />
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
