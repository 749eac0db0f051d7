import { useTranslation } from 'react-i18next';
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
  'survey_low_score',
  'inbound_refused',
];

/** Every kind the server sends (`notify::KINDS` in the API); one added there later shows as its
 * code, made readable, until it is named here too. */
const KINDS = [
  'reply',
  'client_reply',
  'task_done',
  'invoice_sent',
  'invoice_due',
  'invoice_overdue',
  'weekly_summary',
  'review_requested',
  'review_decided',
  'review_overdue',
  'client_upload',
  'payment_received',
  'payment_problem',
  'team_change',
  'survey',
  'survey_low_score',
  'inbound_refused',
] as const;
type Kind = (typeof KINDS)[number];
const known = (kind: string): kind is Kind => (KINDS as readonly string[]).includes(kind);

export function NotificationsPage() {
  const { t } = useTranslation('profile');
  const kindName = (kind: string) => (known(kind) ? t(`notifications.kind.${kind}`) : label(kind));
  const { me } = useSession();
  const relevant = (kind: string) => (me?.kind === 'staff') === STAFF_KINDS.includes(kind);
  const list = useQuery(notificationsQuery());
  const prefs = useQuery(preferencesQuery());
  const { read, readAll, savePreferences: save } = useNotificationActions();
  return (
    <>
      <h1>{t('notifications.title')}</h1>
      <p>
        <button type="button" className="btn" onClick={() => readAll.mutate()}>
          {t('notifications.markAllRead')}
        </button>
      </p>
      <QueryState query={list} what={t('notifications.loading')}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty>{t('notifications.empty')}</Empty>
          ) : (
            <ul className="plain">
              {page.items.map((n) => (
                <li key={n.id} className={`card${n.read_at ? '' : ' notification--unread'}`}>
                  <Link to={n.link} onClick={() => !n.read_at && read.mutate(n.id)}>
                    {n.title}
                  </Link>
                  <div className="muted">
                    {dateTime(n.created_at)}
                    {!n.read_at && ` · ${t('notifications.unread')}`}
                  </div>
                  <p>{n.body}</p>
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
      <section className="panel" aria-labelledby="prefs">
        <h2 id="prefs">{t('notifications.prefsTitle')}</h2>
        <FormError error={save.error} />
        <QueryState query={prefs} what={t('notifications.loadingPrefs')}>
          {(p) => (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('notifications.about')}</th>
                  <th scope="col">{t('notifications.inPortal')}</th>
                  <th scope="col">{t('notifications.byEmail')}</th>
                </tr>
              </thead>
              <tbody>
                {p
                  .filter((pref) => relevant(pref.kind))
                  .map((pref) => (
                    <tr key={pref.kind}>
                      <td data-label={t('notifications.about')}>{kindName(pref.kind)}</td>
                      {(['in_app', 'email'] as const).map((channel) => (
                        <td
                          data-label={t(channel === 'email' ? 'notifications.byEmail' : 'notifications.inPortal')}
                          key={channel}
                        >
                          <input
                            type="checkbox"
                            aria-label={t(
                              channel === 'email' ? 'notifications.kindByEmail' : 'notifications.kindInPortal',
                              { kind: kindName(pref.kind) },
                            )}
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
