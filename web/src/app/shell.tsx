import { useEffect, useRef, type ReactNode } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link, NavLink, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { useBranding } from '@/lib/api/shared';
import { clientNav, homePath, isStaff, staffNav } from '@/lib/authorization';
import { session, useSession } from '@/lib/session';
import { Loading } from '@/components/ui/states';
import { useLiveUpdates } from '@/lib/live';
import { NotificationBell } from '@/features/profile/notification-bell';
import { SearchBox } from '@/features/search/search-box';
import { TwoFactorRequiredPage, useShowingRecoveryCodes } from '@/features/profile/two-factor-panel';

export function RequireSignIn({ children }: { children: ReactNode }) {
  const s = useSession();
  const location = useLocation();
  const savingCodes = useShowingRecoveryCodes();
  const { t } = useTranslation();
  if (s.status === 'loading') return <Loading what={t('app.signingIn')} />;
  if (s.status === 'signed-out') return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  // The server refuses everything else until then; a View-as session is the viewer's, not theirs.
  const mustEnrol = s.me?.two_factor_required && !s.me.two_factor_enabled;
  if ((mustEnrol || savingCodes) && !s.viewingAs) return <TwoFactorRequiredPage />;
  return <>{children}</>;
}

export function Shell() {
  const { me, viewingAs } = useSession();
  const branding = useBranding().data;
  const navigate = useNavigate();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  const { t } = useTranslation();
  useLiveUpdates();

  // Move focus to the page on navigation so screen readers announce the new content.
  useEffect(() => {
    main.current?.focus();
  }, [location.pathname]);

  useEffect(() => {
    if (branding) {
      document.documentElement.style.setProperty('--brand', branding.primary_color);
      document.documentElement.style.setProperty('--accent', branding.accent_color);
      document.title = t('app.title', { agency: branding.agency_name });
    }
  }, [branding, t]);

  if (!me) return null;
  const staff = isStaff(me);
  const onStaffPage = location.pathname.startsWith('/staff');
  if (staff && !onStaffPage && location.pathname === '/') return <Navigate to="/staff" replace />;
  if (!staff && onStaffPage) return <Navigate to={homePath(me)} replace />;
  const nav = staff ? staffNav(me) : clientNav(me);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      {viewingAs && (
        <div className="view-as-banner" role="status">
          <span>
            <Trans t={t} i18nKey="app.viewingAs" components={{ name: <strong>{me.name}</strong> }} />
          </span>
          <button
            type="button"
            className="btn btn--light"
            onClick={() => {
              void session.stopViewingAs();
              navigate('/staff');
            }}
          >
            {t('app.stopViewingAs')}
          </button>
        </div>
      )}
      <header className="topbar">
        <Link to={homePath(me)} className="brand">
          {branding?.logo_url ? (
            <img src={branding.logo_url} alt={branding.agency_name} />
          ) : (
            <span>{branding?.agency_name ?? t('app.portal')}</span>
          )}
        </Link>
        <nav aria-label={t('app.mainNav')}>
          <ul className="nav">
            {nav.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.to === '/' || item.to === '/staff'}>
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <SearchBox staff={staff} />
        <NotificationBell />
        <details className="profile-menu">
          <summary>{me.name}</summary>
          <ul>
            <li>
              <Link to="/profile">{t('app.profile')}</Link>
            </li>
            {staff && !viewingAs && me.permissions.includes('impersonate') && (
              <li>
                <Link to="/staff/clients">{t('app.viewAsClient')}</Link>
              </li>
            )}
            <li>
              <button
                type="button"
                className="link"
                onClick={() => void session.signOut().then(() => navigate('/login'))}
              >
                {t('app.signOut')}
              </button>
            </li>
          </ul>
        </details>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
