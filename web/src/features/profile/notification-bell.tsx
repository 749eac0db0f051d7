import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { unreadCountQuery } from './api';

/** The top bar's link to the notifications, with the unread count. */
export function NotificationBell() {
  const unread = useQuery(unreadCountQuery());
  const count = unread.data?.unread ?? 0;
  return (
    <Link to="/notifications" className="bell">
      Notifications
      {count > 0 && (
        <span className="bell__count">
          {count}
          <span className="visually-hidden"> unread</span>
        </span>
      )}
    </Link>
  );
}
