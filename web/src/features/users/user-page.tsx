// One person's page for admins: who they are, where they are signed in, and what they did.
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { usePaged } from '@/lib/api/paging';
import { can } from '@/lib/authorization';
import { browserName, dateTime } from '@/lib/format';
import { useSession } from '@/lib/session';
import { StatusBadge } from '@/components/ui/badge';
import { Empty, FormError, QueryState, ShowMore } from '@/components/ui/states';
import { userActivityQuery, userQuery, userSessionsQuery, useSignOutEverywhere } from './api';

export function UserPage() {
  const { t } = useTranslation('users');
  const { id = '' } = useParams();
  const { me } = useSession();
  const user = useQuery(userQuery(id));
  return (
    <QueryState query={user} what={t('userPage.loading')}>
      {(u) => (
        <>
          <p>
            <Link to="/staff/users">{t('userPage.back')}</Link>
          </p>
          <h1>{u.name}</h1>
          <dl className="facts">
            <div>
              <dt>{t('userPage.email')}</dt>
              <dd>{u.email}</dd>
            </div>
            <div>
              <dt>{t('userPage.role')}</dt>
              <dd>{t('userPage.roleAndKind', { role: u.role, kind: t(`kind.${u.kind}`) })}</dd>
            </div>
            {u.client_id && (
              <div>
                <dt>{t('userPage.client')}</dt>
                <dd>
                  <Link to={`/staff/clients/${u.client_id}`}>{t('userPage.clientAccount')}</Link>
                </dd>
              </div>
            )}
            <div>
              <dt>{t('userPage.status')}</dt>
              <dd>
                <StatusBadge status={u.status} />
              </dd>
            </div>
            <div>
              <dt>{t('userPage.lastLogin')}</dt>
              <dd>{u.last_login_at ? dateTime(u.last_login_at) : t('userPage.never')}</dd>
            </div>
            <div>
              <dt>{t('userPage.twoFactor')}</dt>
              <dd>{u.two_factor_enabled ? t('on') : t('off')}</dd>
            </div>
            <div>
              <dt>{t('userPage.since')}</dt>
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
  const { t } = useTranslation(['users', 'common']);
  const sessions = usePaged(userSessionsQuery(userId));
  const signOut = useSignOutEverywhere();
  return (
    <section aria-labelledby="user-sessions">
      <h2 id="user-sessions">{t('sessions.title')}</h2>
      <FormError error={signOut.error} />
      {signOut.isSuccess && <p role="status">{t('signedOutEverywhere')}</p>}
      <QueryState query={sessions} what={t('sessions.loading')}>
        {({ items: list }) =>
          list.length === 0 ? (
            <Empty>{t('sessions.empty')}</Empty>
          ) : (
            <>
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t('sessions.device')}</th>
                    <th scope="col">{t('sessions.from')}</th>
                    <th scope="col">{t('sessions.lastActive')}</th>
                    <th scope="col">{t('sessions.signedIn')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((s) => (
                    <tr key={s.id}>
                      <td data-label={t('sessions.device')}>{browserName(s.user_agent)}</td>
                      <td data-label={t('sessions.from')}>{s.address ?? t('common:none')}</td>
                      <td data-label={t('sessions.lastActive')}>{dateTime(s.last_used_at)}</td>
                      <td data-label={t('sessions.signedIn')}>{dateTime(s.created_at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <ShowMore query={sessions} what={t('sessions.more')} />
              {!self && (
                <button
                  type="button"
                  className="btn"
                  disabled={signOut.isPending}
                  onClick={() => {
                    if (window.confirm(t('confirmSignOutEverywhere', { name })))
                      signOut.mutate(userId, { onSuccess: () => void sessions.refetch() });
                  }}
                >
                  {t('signOutEverywhere')}
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
  const { t } = useTranslation('users');
  const events = usePaged(userActivityQuery(userId));
  return (
    <section aria-labelledby="user-activity">
      <h2 id="user-activity">{t('activity.title')}</h2>
      <QueryState query={events} what={t('activity.loading')}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty>{t('activity.empty')}</Empty>
          ) : (
            <ul className="plain">
              {page.items.map((e) => (
                <li key={e.id}>
                  <span className="muted">{dateTime(e.at)}</span> {e.action}
                  {e.acting_as_id && <span className="muted"> {t('activity.viewingAs')}</span>}
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
      <ShowMore query={events} what={t('activity.more')} />
    </section>
  );
}
