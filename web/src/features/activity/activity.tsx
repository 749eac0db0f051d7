// "What changed since your last visit" on a client's home, and a project's feed for staff.
import { Link, useParams } from 'react-router';
import { useAllPages, usePaged } from '@/lib/api/paging';
import { dateTime, label } from '@/lib/format';
import { Empty, QueryState, ShowMore } from '@/components/ui/states';
import { activityQuery, type ActivityItem } from './api';

/** What an item says happened, in a few words. */
export function describe(item: ActivityItem): string {
  switch (item.kind) {
    case 'task_created':
      return `New task: ${item.title}`;
    case 'task_updated':
      return item.task_status ? `${item.title} — now ${label(item.task_status)}` : `${item.title} changed`;
    case 'reply':
      return `New reply on ${item.title}`;
    case 'file_added':
      return `New file: ${item.title}`;
    case 'file_version_added':
      return `New version of ${item.title}`;
    case 'invoice_sent':
      return `Invoice ${item.title} sent`;
    case 'invoice_paid':
      return `Invoice ${item.title} paid`;
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
    const name = item.project_name ?? 'Billing';
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
  const n = (count: number, one: string, many: string) =>
    count > 0 && parts.push(`${count} ${count === 1 ? one : many}`);
  n(tasks, 'task changed', 'tasks changed');
  n(replies, 'new reply', 'new replies');
  n(files, 'new file', 'new files');
  n(invoices, 'invoice', 'invoices');
  return parts.join(', ');
}

/** A client's home: what changed since their last visit, project by project (on a first visit,
 * the latest few things instead). */
export function SinceLastVisit({ since }: { since: string | null | undefined }) {
  return since ? <Changes since={since} /> : <Recent />;
}

function Changes({ since }: { since: string }) {
  const activity = useAllPages(activityQuery({ since }, 200));
  return (
    <section aria-labelledby="since-last-visit">
      <h2 id="since-last-visit">Since your last visit</h2>
      <QueryState query={activity} what="Loading what changed">
        {({ items }) =>
          items.length === 0 ? (
            <Empty>Nothing new since your last visit on {dateTime(since)}.</Empty>
          ) : (
            <ul className="plain activity">
              {byProject(items).map((g) => (
                <li key={g.key}>
                  <details>
                    <summary>
                      <strong>{g.name}</strong>: {summary(g.items)}
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
  const activity = usePaged(activityQuery({}, 5));
  return (
    <section aria-labelledby="recent-activity">
      <h2 id="recent-activity">Recent activity</h2>
      <QueryState query={activity} what="Loading recent activity">
        {({ items }) =>
          items.length === 0 ? (
            <Empty>Nothing has happened yet.</Empty>
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
  const { id = '' } = useParams();
  const activity = usePaged(activityQuery({ project_id: id }));
  return (
    <section aria-labelledby="project-activity">
      <h2 id="project-activity">Activity</h2>
      <QueryState query={activity} what="Loading activity">
        {({ items }) =>
          items.length === 0 ? (
            <Empty>Nothing has happened here yet.</Empty>
          ) : (
            <ul className="plain activity">
              {items.map((item, i) => (
                <Line key={i} item={item} staff />
              ))}
            </ul>
          )
        }
      </QueryState>
      <ShowMore query={activity} what="activity" />
    </section>
  );
}
