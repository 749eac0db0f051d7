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
  const files = useQuery(filesQuery(query));
  return (
    <QueryState query={files} what="Loading files">
      {(page) =>
        page.items.length === 0 ? (
          <Empty>{empty}</Empty>
        ) : (
          <ul className="plain">
            {page.items.map((f) => (
              <li key={f.id}>
                <Link to={filePath(staff, f.id)}>{f.name}</Link> <span className="muted">v{f.current.number}</span>
                {query.review === 'pending' && f.review?.due_date && (
                  <span className="muted"> · due {date(f.review.due_date)}</span>
                )}
                {query.review === 'changes_requested' && f.review?.comment && (
                  <div className="muted">“{f.review.comment}”</div>
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
  const { me } = useSession();
  if (!can(me, 'projects.read')) return null;
  return (
    <div className="columns">
      {can(me, 'deliverables.approve') && (
        <section aria-labelledby="awaiting-approval">
          <h2 id="awaiting-approval">Awaiting your approval</h2>
          <FileList query={{ review: 'pending' }} staff={false} empty="Nothing awaits your approval." />
        </section>
      )}
      <section aria-labelledby="recent-files">
        <h2 id="recent-files">Recent files</h2>
        <FileList query={{ limit: 5 }} staff={false} empty="No files yet." />
      </section>
    </div>
  );
}

/** The staff dashboard's widgets: what clients have still to decide, and what they sent back. */
export function DashboardFiles() {
  const { me } = useSession();
  if (!can(me, 'projects.read')) return null;
  return (
    <div className="columns">
      <section aria-labelledby="awaiting-feedback">
        <h2 id="awaiting-feedback">Awaiting client feedback</h2>
        <FileList query={{ review: 'pending' }} staff empty="Nothing awaits a client's decision." />
      </section>
      <section aria-labelledby="changes-requested">
        <h2 id="changes-requested">Changes requested</h2>
        <FileList query={{ review: 'changes_requested' }} staff empty="No changes requested." />
      </section>
    </div>
  );
}
