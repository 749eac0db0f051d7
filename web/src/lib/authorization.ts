// What the UI offers, by permission. The server checks every request again; this only keeps
// people from seeing buttons that would answer 403.
import type { components } from './api/schema';

export type Me = components['schemas']['MeResponse'];
export type Perm = Me['permissions'][number];

export const can = (me: Me | null | undefined, perm: Perm): boolean => !!me?.permissions.includes(perm);

export const isStaff = (me: Me | null | undefined): boolean => me?.kind === 'staff';

export interface NavItem {
  to: string;
  label: string;
}

/** The client portal's navigation: Portal, Projects, Billing, Team, as the role allows. */
export function clientNav(me: Me): NavItem[] {
  const items: NavItem[] = [];
  if (can(me, 'projects.read') || can(me, 'tasks.read')) items.push({ to: '/', label: 'Portal' });
  if (can(me, 'projects.read')) items.push({ to: '/projects', label: 'Projects' });
  if (can(me, 'tasks.read')) items.push({ to: '/tasks', label: 'My tasks' });
  if (can(me, 'invoices.read')) items.push({ to: '/billing', label: 'Billing' });
  if (can(me, 'team.manage')) items.push({ to: '/team', label: 'Team' });
  return items;
}

export function staffNav(me: Me): NavItem[] {
  const items: NavItem[] = [{ to: '/staff', label: 'Dashboard' }];
  if (can(me, 'clients.read')) items.push({ to: '/staff/clients', label: 'Clients' });
  if (can(me, 'projects.read')) items.push({ to: '/staff/projects', label: 'Projects' });
  if (can(me, 'invoices.read')) items.push({ to: '/staff/invoices', label: 'Invoices' });
  if (can(me, 'invoices.read')) items.push({ to: '/staff/receivables', label: 'Receivables' });
  if (can(me, 'users.manage')) items.push({ to: '/staff/users', label: 'Users & roles' });
  if (can(me, 'settings.manage')) items.push({ to: '/staff/settings', label: 'Settings' });
  if (can(me, 'settings.manage')) items.push({ to: '/staff/webhooks', label: 'Webhooks' });
  if (can(me, 'api_keys.manage')) items.push({ to: '/staff/api-keys', label: 'API keys' });
  if (can(me, 'audit.read')) items.push({ to: '/staff/audit-log', label: 'Audit log' });
  return items;
}

/** Where a signed-in person starts. */
export function homePath(me: Me): string {
  if (isStaff(me)) return '/staff';
  return clientNav(me)[0]?.to ?? '/profile';
}
