import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider, infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import { TeamPage } from './team-page';

const page = <T,>(items: T[]) => ({ items, next_cursor: null });
const member = (id: string, name: string, role: string, role_name: string, status = 'active') => ({
  id,
  name,
  email: `${id}@acme.test`,
  role,
  role_name,
  status,
  invitation_expires_at: status === 'invited' ? '2030-01-01T00:00:00Z' : null,
  last_login_at: null,
  created_at: '2026-01-01T00:00:00Z',
});
const roles = [
  { key: 'client', name: 'Client', permissions: [] },
  { key: 'client_viewer', name: 'Client Viewer', permissions: [] },
];
const update = { isPending: false, mutateAsync: vi.fn().mockResolvedValue({ status: 'active' }) };
const idle = { isPending: false, error: null, mutate: vi.fn(), mutateAsync: vi.fn() };

vi.mock('@/lib/session', () => ({ useSession: () => ({ me: { id: 'me' } }) }));
vi.mock('./api', () => ({
  grantableRolesQuery: () => queryOptions({ queryKey: ['roles'], queryFn: async () => roles }),
  membersQuery: () =>
    infiniteQueryOptions({
      queryKey: ['members'],
      initialPageParam: undefined as string | undefined,
      getNextPageParam: () => undefined,
      queryFn: async () =>
        page([
          member('me', 'Alex Admin', 'client_admin', 'Client Admin'),
          member('boss', 'Bo Stronger', 'client_owner', 'Client Owner'),
          member('pat', 'Pat Pending', 'client_viewer', 'Client Viewer', 'invited'),
        ]),
    }),
  contactsQuery: () =>
    infiniteQueryOptions({
      queryKey: ['contacts'],
      initialPageParam: undefined as string | undefined,
      getNextPageParam: () => undefined,
      queryFn: async () => page([]),
    }),
  useTeamActions: () => ({ invite: idle, update, resend: idle, revoke: idle }),
}));

function show() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <TeamPage />
    </QueryClientProvider>,
  );
}

describe('TeamPage', () => {
  it('offers changes only for colleagues within the caller’s roles, never for the caller', async () => {
    show();
    const people = await screen.findByRole('region', { name: 'People with access' });
    const rows = await within(people).findAllByRole('row');
    const [mine, stronger, pending] = rows.slice(1);
    expect(within(mine).getByText('(you)')).toBeInTheDocument();
    expect(within(mine).queryByRole('button')).toBeNull();
    expect(within(stronger).getByText('Client Owner')).toBeInTheDocument();
    expect(within(stronger).queryByRole('combobox')).toBeNull();
    expect(within(stronger).queryByRole('button')).toBeNull();
    expect(within(pending).getByRole('button', { name: 'Resend invitation to Pat Pending' })).toBeInTheDocument();
    expect(within(pending).getByRole('button', { name: 'Revoke invitation of Pat Pending' })).toBeInTheDocument();
  });

  it('changes a role and says so', async () => {
    show();
    const role = await screen.findByLabelText('Role of Pat Pending');
    await userEvent.selectOptions(role, 'client');
    expect(update.mutateAsync).toHaveBeenCalledWith({ id: 'pat', body: { role: 'client' } });
    expect(await screen.findByText('Pat Pending: now Client.')).toBeInTheDocument();
  });
});
