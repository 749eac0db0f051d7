import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { browserName, dateTime } from '@/lib/format';
import { session } from '@/lib/session';
import { FormError, QueryState, ShowMore } from '@/components/ui/states';
import { mySessionsQuery, useSessionActions } from './api';

/** The caller's signed-in devices, each with a way out; "Sign out everywhere else" for a lost
 * phone. Signing this device out is signing out. */
export function DevicesPanel() {
  const { t } = useTranslation(['profile', 'common']);
  const devices = useInfiniteQuery(mySessionsQuery());
  const { end, endOthers } = useSessionActions();
  const navigate = useNavigate();
  const signOutHere = () => void session.signOut().then(() => navigate('/login'));
  return (
    <section className="panel" aria-labelledby="devices">
      <h2 id="devices">{t('devices.title')}</h2>
      <p className="muted">{t('devices.intro')}</p>
      <FormError error={end.error ?? endOthers.error} />
      <QueryState query={devices} what={t('devices.loading')}>
        {(data) => {
          const rows = data.pages.flatMap((p) => p.items);
          return (
            <>
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t('devices.browser')}</th>
                    <th scope="col">{t('devices.address')}</th>
                    <th scope="col">{t('devices.signedIn')}</th>
                    <th scope="col">{t('devices.lastActive')}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t('devices.actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((d) => (
                    <tr key={d.id}>
                      <td data-label={t('devices.browser')} title={d.user_agent ?? undefined}>
                        {browserName(d.user_agent)}
                        {d.current && <div className="muted">{t('devices.thisDevice')}</div>}
                      </td>
                      <td data-label={t('devices.address')}>{d.address ?? t('common:none')}</td>
                      <td data-label={t('devices.signedIn')}>{dateTime(d.created_at)}</td>
                      <td data-label={t('devices.lastActive')}>{dateTime(d.last_used_at)}</td>
                      <td data-label={t('devices.actions')}>
                        <button
                          type="button"
                          className="btn"
                          // Each sign-out ends this device's access token too: wait for the
                          // list's refetch to have refreshed it.
                          disabled={end.isPending || devices.isFetching}
                          aria-label={
                            d.current
                              ? t('devices.signOutHere')
                              : t('devices.signOutDevice', {
                                  browser: browserName(d.user_agent),
                                  date: dateTime(d.last_used_at),
                                })
                          }
                          onClick={() => (d.current ? signOutHere() : end.mutate(d.id))}
                        >
                          {t('devices.signOut')}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <ShowMore query={devices} what={t('devices.more')} />
              {rows.some((d) => !d.current) && (
                <button
                  type="button"
                  className="btn btn--danger"
                  disabled={endOthers.isPending || devices.isFetching}
                  onClick={() => {
                    if (window.confirm(t('devices.confirmOthers'))) endOthers.mutate();
                  }}
                >
                  {t('devices.signOutOthers')}
                </button>
              )}
              {endOthers.isSuccess && (
                <p role="status">{t('devices.signedOutOthers', { count: endOthers.data.ended })}</p>
              )}
            </>
          );
        }}
      </QueryState>
    </section>
  );
}
