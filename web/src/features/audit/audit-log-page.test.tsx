import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider, infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import { AuditLogPage } from './audit-log-page';
import type { AuditFilters } from './api';

const event = (id: string, action: string, more: object = {}) => ({
  id,
  at: '2026-11-30T10:00:00Z',
  actor_id: 'u-admin',
  actor_name: 'Ada Admin',
  acting_as_id: null,
  api_key_id: null,
  api_key_name: null,
  action,
  target_type: 'user',
  target_id: 'u-casey-0000',
  client_id: null,
  details: {},
  ...more,
});

const asked: AuditFilters[] = [];
vi.mock('@/lib/api/shared', () => ({
  activeClientsQuery: () =>
    queryOptions({
      queryKey: ['clients'],
      queryFn: async () => ({ items: [{ id: 'c-acme', name: 'Acme Corp' }], next_cursor: null }),
    }),
}));
vi.mock('./api', () => ({
  auditLogQuery: (filters: AuditFilters) =>
    infiniteQueryOptions({
      queryKey: ['audit', filters],
      initialPageParam: undefined as string | undefined,
      queryFn: async ({ pageParam }) => {
        asked.push(filters);
        if (pageParam === 'p2')
          return { items: [event('e3', 'login.failed', { actor_id: null, actor_name: null })], next_cursor: null };
        return {
          items: [
            event('e1', 'user.role_changed', { details: { from: 'client', to: 'client_viewer' } }),
            event('e2', 'impersonation.started', { acting_as_id: 'u-casey-0000' }),
          ],
          next_cursor: 'p2',
        };
      },
      getNextPageParam: (page: { next_cursor: string | null }) => page.next_cursor ?? undefined,
    }),
}));

function show() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <AuditLogPage />
    </QueryClientProvider>,
  );
}

describe('the audit log page', () => {
  it('lists entries newest first with who, what, on what and the details, and pages on', async () => {
    show();
    const table = await screen.findByRole('table');
    expect(within(table).getByText('user.role_changed')).toBeInTheDocument();
    expect(within(table).getByText('from: client')).toBeInTheDocument();
    expect(within(table).getAllByRole('button', { name: 'Ada Admin' })).toHaveLength(2);
    await userEvent.click(screen.getByRole('button', { name: 'Show more entries' }));
    expect(await within(table).findByText('Nobody signed in')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Show more entries' })).not.toBeInTheDocument();
  });

  it('narrows by action, client and period, and to a person by choosing their name', async () => {
    show();
    await screen.findByRole('table');
    await userEvent.type(screen.getByLabelText('Action'), 'login.failed');
    await userEvent.selectOptions(await screen.findByLabelText('Client'), 'c-acme');
    await userEvent.type(screen.getByLabelText('From'), '2026-11-01');
    await userEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    await screen.findByRole('table');
    const last = asked[asked.length - 1];
    expect(last).toMatchObject({ action: 'login.failed', client_id: 'c-acme' });
    expect(last.since).toBe(new Date('2026-11-01T00:00:00').toISOString());
    expect(last.until).toBeUndefined();
    await userEvent.click((await screen.findAllByRole('button', { name: 'Ada Admin' }))[0]);
    expect(asked[asked.length - 1]).toMatchObject({ actor_id: 'u-admin', action: 'login.failed' });
    await userEvent.click(screen.getByRole('button', { name: /By Ada Admin/ }));
    expect(asked[asked.length - 1].actor_id).toBeUndefined();
  });
});
