// "What changed since your last visit" on a client's home, and a project's feed for staff.
import { Trans, useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useAllPages, usePaged } from '@/lib/api/paging';
import { dateTime } from '@/lib/format';
import { i18n } from '@/lib/i18n';
import { Empty, QueryState, ShowMore } from '@/components/ui/states';
import { activityQuery, type ActivityItem } from './api';

/** What an item says happened, in a few words. */
export function describe(item: ActivityItem): string {
  switch (item.kind) {
    case 'task_created':
      return i18n.t('activity:describe.taskCreated', { title: item.title });
    case 'task_updated':
      return item.task_status
        ? i18n.t('activity:describe.taskStatus', {
            title: item.title,
            status: i18n.t(`common:status.${item.task_status}`),
          })
        : i18n.t('activity:describe.taskUpdated', { title: item.title });
    case 'reply':
      return i18n.t('activity:describe.reply', { title: item.title });
    case 'file_added':
      return i18n.t('activity:describe.fileAdded', { title: item.title });
    case 'file_version_added':
      return i18n.t('activity:describe.fileVersionAdded', { title: item.title });
    case 'invoice_sent':
      return i18n.t('activity:describe.invoiceSent', { number: item.title });
    case 'invoice_paid':
      return i18n.t('activity:describe.invoicePaid', { number: item.title });
  }
}

/** Where an item leads. */
export function itemPath(item: ActivityItem, staff: boolean): string | null {
  const base = staff ? '/staff' : '';
  if (item.file_id) return `${base}/files/${item.file_id}`;
  if (item.task_id) return `${base}/tasks/${item.task_id}`;
  if (item.invoice_id) return staff ? `/staff/invoices/${item.invoice_id}` : `/billing/${item.invoice_id}`;
  return null;
}

function Line({ item, staff }: { item: ActivityItem; staff: boolean }) {
  const to = itemPath(item, staff);
  return (
    <li>
      {to ? <Link to={to}>{describe(item)}</Link> : describe(item)} <span className="muted">· {dateTime(item.at)}</span>
    </li>
  );
}

interface Group {
  key: string;
  name: string;
  items: ActivityItem[];
}

/** Items by project (invoices under Billing), each group in the order its first item came. */
export function byProject(items: ActivityItem[]): Group[] {
  const groups = new Map<string, Group>();
  for (const item of items) {
    const key = item.project_id ?? 'billing';
    const name = item.project_name ?? i18n.t('activity:billing');
    if (!groups.has(key)) groups.set(key, { key, name, items: [] });
    groups.get(key)!.items.push(item);
  }
  return [...groups.values()];
}

/** "3 tasks changed, 2 new replies, 1 new file": a group in one line. Each task counts once. */
export function summary(items: ActivityItem[]): string {
  const tasks = new Set(items.filter((i) => i.kind.startsWith('task')).map((i) => i.task_id)).size;
  const replies = items.filter((i) => i.kind === 'reply').length;
  const files = items.filter((i) => i.kind.startsWith('file')).length;
  const invoices = items.filter((i) => i.kind.startsWith('invoice')).length;
  const parts: string[] = [];
  const n = (count: number, what: 'tasksChanged' | 'newReplies' | 'newFiles' | 'invoices') =>
    count > 0 && parts.push(i18n.t(`activity:summary.${what}`, { count }));
  n(tasks, 'tasksChanged');
  n(replies, 'newReplies');
  n(files, 'newFiles');
  n(invoices, 'invoices');
  return parts.join(', ');
}

/** A client's home: what changed since their last visit, project by project (on a first visit,
 * the latest few things instead). */
export function SinceLastVisit({ since }: { since: string | null | undefined }) {
  return since ? <Changes since={since} /> : <Recent />;
}

function Changes({ since }: { since: string }) {
  const { t } = useTranslation('activity');
  const activity = useAllPages(activityQuery({ since }, 200));
  return (
    <section aria-labelledby="since-last-visit">
      <h2 id="since-last-visit">{t('sinceLastVisit.title')}</h2>
      <QueryState query={activity} what={t('sinceLastVisit.loading')}>
        {({ items }) =>
          items.length === 0 ? (
            <Empty>{t('sinceLastVisit.empty', { when: dateTime(since) })}</Empty>
          ) : (
            <ul className="plain activity">
              {byProject(items).map((g) => (
                <li key={g.key}>
                  <details>
                    <summary>
                      <Trans
                        t={t}
                        i18nKey="sinceLastVisit.group"
                        values={{ name: g.name, summary: summary(g.items) }}
                        components={{ strong: <strong /> }}
                      />
                    </summary>
                    <ul className="plain">
                      {g.items.map((item, i) => (
                        <Line key={i} item={item} staff={false} />
                      ))}
                    </ul>
                  </details>
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
    </section>
  );
}

function Recent() {
  const { t } = useTranslation('activity');
  const activity = usePaged(activityQuery({}, 5));
  return (
    <section aria-labelledby="recent-activity">
      <h2 id="recent-activity">{t('recent.title')}</h2>
      <QueryState query={activity} what={t('recent.loading')}>
        {({ items }) =>
          items.length === 0 ? (
            <Empty>{t('recent.empty')}</Empty>
          ) : (
            <ul className="plain activity">
              {items.map((item, i) => (
                <Line key={i} item={item} staff={false} />
              ))}
            </ul>
          )
        }
      </QueryState>
    </section>
  );
}

/** A project's feed for staff, newest first, a page at a time. */
export function ProjectActivity() {
  const { t } = useTranslation('activity');
  const { id = '' } = useParams();
  const activity = usePaged(activityQuery({ project_id: id }));
  return (
    <section aria-labelledby="project-activity">
      <h2 id="project-activity">{t('projectActivity.title')}</h2>
      <QueryState query={activity} what={t('projectActivity.loading')}>
        {({ items }) =>
          items.length === 0 ? (
            <Empty>{t('projectActivity.empty')}</Empty>
          ) : (
            <ul className="plain activity">
              {items.map((item, i) => (
                <Line key={i} item={item} staff />
              ))}
            </ul>
          )
        }
      </QueryState>
      <ShowMore query={activity} what={t('projectActivity.more')} />
    </section>
  );
}
