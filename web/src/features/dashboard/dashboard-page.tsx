import type { ReactNode } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { date, dateTime, money } from '@/lib/format';
import { StatusBadge } from '@/components/ui/badge';
import { Empty, QueryState } from '@/components/ui/states';
import { dashboardQuery } from './api';

/** `widgets`: further sections (files awaiting feedback), which the app composes in. */
export function DashboardPage({ widgets }: { widgets?: ReactNode }) {
  const { t } = useTranslation('dashboard');
  const dashboard = useQuery(dashboardQuery());
  return (
    <>
      <h1>{t('dashboardPage.title')}</h1>
      <QueryState query={dashboard} what={t('dashboardPage.loading')}>
        {(d) => (
          <div className="columns">
            <section aria-labelledby="replies">
              <h2 id="replies">{t('dashboardPage.replies.title')}</h2>
              {d.client_replies.length === 0 ? (
                <Empty>{t('dashboardPage.replies.empty')}</Empty>
              ) : (
                <ul className="plain">
                  {d.client_replies.map((r) => (
                    <li key={r.comment_id} className="card">
                      <Link to={`/staff/tasks/${r.task_id}`}>{r.task_title}</Link>
                      <div className="muted">
                        {t('dashboardPage.replies.byline', {
                          author: r.author_name,
                          client: r.client_name,
                          time: dateTime(r.created_at),
                        })}
                      </div>
                      <p>{r.body}</p>
                    </li>
                  ))}
                </ul>
              )}
            </section>
            {d.awaiting_reply.length > 0 && (
              <section aria-labelledby="awaiting">
                <h2 id="awaiting">{t('dashboardPage.awaiting.title')}</h2>
                <ul className="plain">
                  {d.awaiting_reply.map((r) => (
                    <li key={r.comment_id}>
                      <Trans
                        t={t}
                        i18nKey="dashboardPage.awaiting.item"
                        count={Math.floor(r.waiting_seconds / 3600)}
                        values={{ task: r.task_title, author: r.author_name, client: r.client_name }}
                        components={{ task: <Link to={`/staff/tasks/${r.task_id}`} /> }}
                      />
                    </li>
                  ))}
                </ul>
              </section>
            )}
            <section aria-labelledby="overdue">
              <h2 id="overdue">{t('dashboardPage.overdue.title')}</h2>
              {d.overdue_invoices.length === 0 ? (
                <Empty>{t('dashboardPage.overdue.empty')}</Empty>
              ) : (
                <ul className="plain">
                  {d.overdue_invoices.map((i) => (
                    <li key={i.id}>
                      <Trans
                        t={t}
                        i18nKey="dashboardPage.overdue.item"
                        values={{
                          number: i.number,
                          amount: money(i.balance_cents, i.currency),
                          date: date(i.due_date),
                        }}
                        components={{ invoice: <Link to={`/staff/invoices/${i.id}`} /> }}
                      />
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <section aria-labelledby="due">
              <h2 id="due">{t('dashboardPage.tasksDue.title')}</h2>
              {d.tasks_due.length === 0 ? (
                <Empty>{t('dashboardPage.tasksDue.empty')}</Empty>
              ) : (
                <ul className="plain">
                  {d.tasks_due.map((task) => (
                    <li key={task.id}>
                      <Link to={`/staff/tasks/${task.id}`}>{task.title}</Link> <StatusBadge status={task.status} />{' '}
                      <span className="muted">{t('dashboardPage.tasksDue.due', { date: date(task.due_date) })}</span>
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
