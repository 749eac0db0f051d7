// One person's page for admins: who they are, where they are signed in, and what they did.
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { usePaged } from '@/lib/api/paging';
import { can } from '@/lib/authorization';
import { browserName, dateTime, label } from '@/lib/format';
import { useSession } from '@/lib/session';
import { StatusBadge } from '@/components/ui/badge';
import { Empty, FormError, QueryState, ShowMore } from '@/components/ui/states';
import { userActivityQuery, userQuery, userSessionsQuery, useSignOutEverywhere } from './api';

export function UserPage() {
  const { id = '' } = useParams();
  const { me } = useSession();
  const user = useQuery(userQuery(id));
  return (
    <QueryState query={user} what="Loading the user">
      {(u) => (
        <>
          <p>
            <Link to="/staff/users">← Users and roles</Link>
          </p>
          <h1>{u.name}</h1>
          <dl className="facts">
            <div>
              <dt>E-mail</dt>
              <dd>{u.email}</dd>
            </div>
            <div>
              <dt>Role</dt>
              <dd>
                {u.role} ({label(u.kind)})
              </dd>
            </div>
            {u.client_id && (
              <div>
                <dt>Client</dt>
                <dd>
                  <Link to={`/staff/clients/${u.client_id}`}>The client's account</Link>
                </dd>
              </div>
            )}
            <div>
              <dt>Status</dt>
              <dd>
                <StatusBadge status={u.status} />
              </dd>
            </div>
            <div>
              <dt>Last login</dt>
              <dd>{u.last_login_at ? dateTime(u.last_login_at) : 'Never'}</dd>
            </div>
            <div>
              <dt>Two-factor sign-in</dt>
              <dd>{u.two_factor_enabled ? 'On' : 'Off'}</dd>
            </div>
            <div>
              <dt>Since</dt>
              <dd>{dateTime(u.created_at)}</dd>
            </div>
          </dl>
          <Sessions userId={u.id} name={u.name} self={u.id === me?.id} />
          {can(me, 'audit.read') && <Activity userId={u.id} />}
        </>
      )}
    </QueryState>
  );
}

function Sessions({ userId, name, self }: { userId: string; name: string; self: boolean }) {
  const sessions = usePaged(userSessionsQuery(userId));
  const signOut = useSignOutEverywhere();
  return (
    <section aria-labelledby="user-sessions">
      <h2 id="user-sessions">Signed in on</h2>
      <FormError error={signOut.error} />
      {signOut.isSuccess && <p role="status">Signed out on every device.</p>}
      <QueryState query={sessions} what="Loading devices">
        {({ items: list }) =>
          list.length === 0 ? (
            <Empty>Not signed in anywhere.</Empty>
          ) : (
            <>
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Device</th>
                    <th scope="col">From</th>
                    <th scope="col">Last active</th>
                    <th scope="col">Signed in</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((s) => (
                    <tr key={s.id}>
                      <td data-label="Device">{browserName(s.user_agent)}</td>
                      <td data-label="From">{s.address ?? '—'}</td>
                      <td data-label="Last active">{dateTime(s.last_used_at)}</td>
                      <td data-label="Signed in">{dateTime(s.created_at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <ShowMore query={sessions} what="devices" />
              {!self && (
                <button
                  type="button"
                  className="btn"
                  disabled={signOut.isPending}
                  onClick={() => {
                    if (window.confirm(`Sign ${name} out on every device?`))
                      signOut.mutate(userId, { onSuccess: () => void sessions.refetch() });
                  }}
                >
                  Sign out everywhere
                </button>
              )}
            </>
          )
        }
      </QueryState>
    </section>
  );
}

function Activity({ userId }: { userId: string }) {
  const events = usePaged(userActivityQuery(userId));
  return (
    <section aria-labelledby="user-activity">
      <h2 id="user-activity">What they did</h2>
      <QueryState query={events} what="Loading their activity">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>Nothing in the audit log yet.</Empty>
          ) : (
            <ul className="plain">
              {page.items.map((e) => (
                <li key={e.id}>
                  <span className="muted">{dateTime(e.at)}</span> {e.action}
                  {e.acting_as_id && <span className="muted"> (while viewing as someone)</span>}
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
      <ShowMore query={events} what="entries" />
    </section>
  );
}
