import { useInfiniteQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { browserName, dateTime } from '@/lib/format';
import { session } from '@/lib/session';
import { FormError, QueryState, ShowMore } from '@/components/ui/states';
import { mySessionsQuery, useSessionActions } from './api';

/** The caller's signed-in devices, each with a way out; "Sign out everywhere else" for a lost
 * phone. Signing this device out is signing out. */
export function DevicesPanel() {
  const devices = useInfiniteQuery(mySessionsQuery());
  const { end, endOthers } = useSessionActions();
  const navigate = useNavigate();
  const signOutHere = () => void session.signOut().then(() => navigate('/login'));
  return (
    <section className="panel" aria-labelledby="devices">
      <h2 id="devices">Signed-in devices</h2>
      <p className="muted">
        Where you are signed in now. Sign out any device you do not recognise, and change your password if you think
        someone else knows it.
      </p>
      <FormError error={end.error ?? endOthers.error} />
      <QueryState query={devices} what="Loading your devices">
        {(data) => {
          const rows = data.pages.flatMap((p) => p.items);
          return (
            <>
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Browser</th>
                    <th scope="col">Address</th>
                    <th scope="col">Signed in</th>
                    <th scope="col">Last active</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((d) => (
                    <tr key={d.id}>
                      <td data-label="Browser" title={d.user_agent ?? undefined}>
                        {browserName(d.user_agent)}
                        {d.current && <div className="muted">This device</div>}
                      </td>
                      <td data-label="Address">{d.address ?? '—'}</td>
                      <td data-label="Signed in">{dateTime(d.created_at)}</td>
                      <td data-label="Last active">{dateTime(d.last_used_at)}</td>
                      <td data-label="Actions">
                        <button
                          type="button"
                          className="btn"
                          // Each sign-out ends this device's access token too: wait for the
                          // list's refetch to have refreshed it.
                          disabled={end.isPending || devices.isFetching}
                          aria-label={
                            d.current
                              ? 'Sign out on this device'
                              : `Sign out ${browserName(d.user_agent)}, last active ${dateTime(d.last_used_at)}`
                          }
                          onClick={() => (d.current ? signOutHere() : end.mutate(d.id))}
                        >
                          Sign out
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <ShowMore query={devices} what="devices" />
              {rows.some((d) => !d.current) && (
                <button
                  type="button"
                  className="btn btn--danger"
                  disabled={endOthers.isPending || devices.isFetching}
                  onClick={() => {
                    if (window.confirm('Sign out on every other device?')) endOthers.mutate();
                  }}
                >
                  Sign out everywhere else
                </button>
              )}
              {endOthers.isSuccess && (
                <p role="status">
                  Signed out of {endOthers.data.ended} other {endOthers.data.ended === 1 ? 'device' : 'devices'}.
                </p>
              )}
            </>
          );
        }}
      </QueryState>
    </section>
  );
}
