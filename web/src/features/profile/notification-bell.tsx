import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { unreadCountQuery } from './api';

/** The top bar's link to the notifications, with the unread count. */
export function NotificationBell() {
  const { t } = useTranslation('profile');
  const unread = useQuery(unreadCountQuery());
  const count = unread.data?.unread ?? 0;
  return (
    <Link to="/notifications" className="bell">
      {t('bell.label')}
      {count > 0 && (
        <span className="bell__count">
          {count}
          <span className="visually-hidden"> {t('bell.unread', { count })}</span>
        </span>
      )}
    </Link>
  );
}
