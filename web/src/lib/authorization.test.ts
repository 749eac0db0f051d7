import { describe, expect, it } from 'vitest';
import { clientNav, homePath, staffNav, type Me } from './authorization';

const me = (kind: Me['kind'], permissions: Me['permissions']): Me => ({
  id: '1',
  email: 'x@y.test',
  name: 'X',
  kind,
  role: 'r',
  client_id: null,
  status: 'active',
  permissions,
  viewed_by: null,
  two_factor_enabled: false,
  two_factor_required: false,
  updated_at: '2026-01-01T00:00:00Z',
});

describe('navigation by role', () => {
  it('shows Client Finance only Billing', () => {
    const finance = me('client', ['invoices.read']);
    expect(clientNav(finance).map((n) => n.label)).toEqual(['Billing']);
    expect(homePath(finance)).toBe('/billing');
  });

  it('shows a Client Portal, Projects, their tasks and Billing', () => {
    expect(
      clientNav(me('client', ['projects.read', 'tasks.read', 'comments.reply', 'invoices.read'])).map((n) => n.label),
    ).toEqual(['Portal', 'Projects', 'My tasks', 'Billing']);
  });

  it('shows a Client Admin their Team, and nobody else', () => {
    const admin = me('client', ['projects.read', 'tasks.read', 'invoices.read', 'team.manage']);
    expect(clientNav(admin).map((n) => n.label)).toEqual(['Portal', 'Projects', 'My tasks', 'Billing', 'Team']);
    expect(clientNav(me('client', ['projects.read'])).map((n) => n.label)).not.toContain('Team');
  });

  it('shows a Client Viewer no Billing', () => {
    expect(clientNav(me('client', ['projects.read', 'tasks.read'])).map((n) => n.label)).toEqual([
      'Portal',
      'Projects',
      'My tasks',
    ]);
  });

  it('sends staff to their dashboard and shows admin views by permission', () => {
    const member = me('staff', ['projects.read', 'tasks.read', 'clients.read']);
    expect(homePath(member)).toBe('/staff');
    expect(staffNav(member).map((n) => n.label)).toEqual(['Dashboard', 'Clients', 'Projects']);
  });
});
