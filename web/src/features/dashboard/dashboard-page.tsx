import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { date, dateTime, money } from '@/lib/format';
import { StatusBadge } from '@/components/ui/badge';
import { Empty, QueryState } from '@/components/ui/states';
import { dashboardQuery } from './api';

/** `widgets`: further sections (files awaiting feedback), which the app composes in. */
export function DashboardPage({ widgets }: { widgets?: ReactNode }) {
  const dashboard = useQuery(dashboardQuery());
  return (
    <>
      <h1>What needs attention</h1>
      <QueryState query={dashboard} what="Loading the dashboard">
        {(d) => (
          <div className="columns">
            <section aria-labelledby="replies">
              <h2 id="replies">New client replies</h2>
              {d.client_replies.length === 0 ? (
                <Empty>No replies from clients.</Empty>
              ) : (
                <ul className="plain">
                  {d.client_replies.map((r) => (
                    <li key={r.comment_id} className="card">
                      <Link to={`/staff/tasks/${r.task_id}`}>{r.task_title}</Link>
                      <div className="muted">
                        {r.author_name} ({r.client_name}) · {dateTime(r.created_at)}
                      </div>
                      <p>{r.body}</p>
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <section aria-labelledby="overdue">
              <h2 id="overdue">Overdue invoices</h2>
              {d.overdue_invoices.length === 0 ? (
                <Empty>Nothing overdue.</Empty>
              ) : (
                <ul className="plain">
                  {d.overdue_invoices.map((i) => (
                    <li key={i.id}>
                      <Link to={`/staff/invoices/${i.id}`}>{i.number}</Link> — {money(i.balance_cents, i.currency)} due{' '}
                      {date(i.due_date)}
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <section aria-labelledby="due">
              <h2 id="due">Tasks due this week</h2>
              {d.tasks_due.length === 0 ? (
                <Empty>No tasks due.</Empty>
              ) : (
                <ul className="plain">
                  {d.tasks_due.map((t) => (
                    <li key={t.id}>
                      <Link to={`/staff/tasks/${t.id}`}>{t.title}</Link> <StatusBadge status={t.status} />{' '}
                      <span className="muted">due {date(t.due_date)}</span>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </div>
        )}
      </QueryState>
      {widgets}
    </>
  );
}
