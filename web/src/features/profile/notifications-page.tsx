import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { dateTime, label } from '@/lib/format';
import { useSession } from '@/lib/session';
import { Empty, FormError, QueryState } from '@/components/ui/states';
import { notificationsQuery, preferencesQuery, useNotificationActions } from './api';

/** Kinds that can reach each side of the portal; the others are never sent to them. */
const STAFF_KINDS = [
  'client_reply',
  'review_decided',
  'client_upload',
  'payment_received',
  'payment_problem',
  'team_change',
];

export function NotificationsPage() {
  const { me } = useSession();
  const relevant = (kind: string) => (me?.kind === 'staff') === STAFF_KINDS.includes(kind);
  const list = useQuery(notificationsQuery());
  const prefs = useQuery(preferencesQuery());
  const { read, readAll, savePreferences: save } = useNotificationActions();
  return (
    <>
      <h1>Notifications</h1>
      <p>
        <button type="button" className="btn" onClick={() => readAll.mutate()}>
          Mark all as read
        </button>
      </p>
      <QueryState query={list} what="Loading notifications">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>Nothing new.</Empty>
          ) : (
            <ul className="plain">
              {page.items.map((n) => (
                <li key={n.id} className={`card${n.read_at ? '' : ' notification--unread'}`}>
                  <Link to={n.link} onClick={() => !n.read_at && read.mutate(n.id)}>
                    {n.title}
                  </Link>
                  <div className="muted">
                    {dateTime(n.created_at)}
                    {!n.read_at && ' · unread'}
                  </div>
                  <p>{n.body}</p>
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
      <section className="panel" aria-labelledby="prefs">
        <h2 id="prefs">What to tell me, and how</h2>
        <FormError error={save.error} />
        <QueryState query={prefs} what="Loading preferences">
          {(p) => (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">About</th>
                  <th scope="col">In the portal</th>
                  <th scope="col">By e-mail</th>
                </tr>
              </thead>
              <tbody>
                {p
                  .filter((pref) => relevant(pref.kind))
                  .map((pref) => (
                    <tr key={pref.kind}>
                      <td data-label="About">{label(pref.kind)}</td>
                      {(['in_app', 'email'] as const).map((channel) => (
                        <td data-label="In the portal" key={channel}>
                          <input
                            type="checkbox"
                            aria-label={`${label(pref.kind)} ${channel === 'email' ? 'by e-mail' : 'in the portal'}`}
                            checked={pref[channel]}
                            onChange={(e) => save.mutate([{ ...pref, [channel]: e.target.checked }])}
                          />
                        </td>
                      ))}
                    </tr>
                  ))}
              </tbody>
            </table>
          )}
        </QueryState>
      </section>
    </>
  );
}
