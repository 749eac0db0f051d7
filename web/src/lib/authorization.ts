// What the UI offers, by permission. The server checks every request again; this only keeps
// people from seeing buttons that would answer 403.
import type { components } from './api/schema';
import { i18n } from './i18n';

export type Me = components['schemas']['MeResponse'];
export type Perm = Me['permissions'][number];

export const can = (me: Me | null | undefined, perm: Perm): boolean => !!me?.permissions.includes(perm);

export const isStaff = (me: Me | null | undefined): boolean => me?.kind === 'staff';

export interface NavItem {
  to: string;
  /** In the language shown when the menu was made. */
  label: string;
}

/** The client portal's navigation: Portal, Projects, Billing, Team, as the role allows. */
export function clientNav(me: Me): NavItem[] {
  const items: NavItem[] = [];
  if (can(me, 'projects.read') || can(me, 'tasks.read')) items.push({ to: '/', label: i18n.t('nav.portal') });
  if (can(me, 'projects.read')) items.push({ to: '/projects', label: i18n.t('nav.projects') });
  if (can(me, 'tasks.read')) items.push({ to: '/tasks', label: i18n.t('nav.myTasks') });
  if (can(me, 'invoices.read')) items.push({ to: '/billing', label: i18n.t('nav.billing') });
  if (can(me, 'team.manage')) items.push({ to: '/team', label: i18n.t('nav.team') });
  return items;
}

export function staffNav(me: Me): NavItem[] {
  const items: NavItem[] = [{ to: '/staff', label: i18n.t('nav.dashboard') }];
  if (can(me, 'clients.read')) items.push({ to: '/staff/clients', label: i18n.t('nav.clients') });
  if (can(me, 'projects.read')) items.push({ to: '/staff/projects', label: i18n.t('nav.projects') });
  if (can(me, 'invoices.read')) items.push({ to: '/staff/invoices', label: i18n.t('nav.invoices') });
  if (can(me, 'invoices.read')) items.push({ to: '/staff/receivables', label: i18n.t('nav.receivables') });
  if (can(me, 'metrics.read')) items.push({ to: '/staff/metrics', label: i18n.t('nav.metrics') });
  if (can(me, 'users.manage')) items.push({ to: '/staff/users', label: i18n.t('nav.users') });
  if (can(me, 'settings.manage')) items.push({ to: '/staff/settings', label: i18n.t('nav.settings') });
  if (can(me, 'settings.manage')) items.push({ to: '/staff/webhooks', label: i18n.t('nav.webhooks') });
  if (can(me, 'api_keys.manage')) items.push({ to: '/staff/api-keys', label: i18n.t('nav.apiKeys') });
  if (can(me, 'audit.read')) items.push({ to: '/staff/audit-log', label: i18n.t('nav.auditLog') });
  return items;
}

/** Where a signed-in person starts. */
export function homePath(me: Me): string {
  if (isStaff(me)) return '/staff';
  return clientNav(me)[0]?.to ?? '/profile';
}
