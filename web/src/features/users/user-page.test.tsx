import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider, queryOptions } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { pagedQuery } from '@/lib/api/paging';
import { UserPage } from './user-page';
import { UsersPage } from './users-page';

const user = {
  id: 'u1',
  email: 'casey@acme.test',
  name: 'Casey Client',
  role: 'client',
  kind: 'client',
  client_id: 'c-acme',
  status: 'active',
  last_login_at: '2026-11-30T09:00:00Z',
  two_factor_enabled: false,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};
const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const role = (id: string, name: string, builtin: boolean) => ({
  id,
  key: name.toLowerCase().replace(/ /g, '_'),
  name,
  kind: 'client',
  builtin,
  permissions: ['projects.read'],
  requires_two_factor: false,
});
const idle = () => ({ isPending: false, isSuccess: false, error: null as unknown, data: undefined, mutate: vi.fn() });
const signOut = idle();
const updateRole = idle();
const deleteRole = idle();
const perms = ['audit.read'];

vi.mock('@/lib/session', () => ({ useSession: () => ({ me: { id: 'me', kind: 'staff', permissions: perms } }) }));
vi.mock('@/lib/api/shared', async () => {
  const { catalogueOf } = await import('@/lib/permissions');
  return { usePermissionCatalogue: () => ({ ...catalogueOf([]), isPending: false }) };
});
vi.mock('./api', () => ({
  userQuery: () => queryOptions({ queryKey: ['user'], queryFn: async () => user }),
  userSessionsQuery: () =>
    pagedQuery(['sessions'], async () => ({
      items: [
        {
          id: 's1',
          created_at: '2026-11-01T00:00:00Z',
          last_used_at: '2026-11-30T09:00:00Z',
          expires_at: '2026-12-30T00:00:00Z',
          address: '127.0.0.1',
          user_agent: firefox,
          current: false,
        },
      ],
      next_cursor: null,
    })),
  userActivityQuery: () =>
    pagedQuery(['activity'], async () => ({
      items: [{ id: 'e1', at: '2026-11-30T09:00:00Z', action: 'login', acting_as_id: null }],
      next_cursor: null,
    })),
  rolesQuery: () =>
    queryOptions({
      queryKey: ['roles'],
      queryFn: async () => [role('r1', 'Client', true), role('r2', 'Auditor', false)],
    }),
  usersQuery: () => pagedQuery(['users'], async () => ({ items: [user], next_cursor: null })),
  useSignOutEverywhere: () => signOut,
  useUpdateUser: () => idle(),
  useCreateUser: () => idle(),
  useCreateRole: () => idle(),
  useUpdateRole: () => updateRole,
  useDeleteRole: () => deleteRole,
  useResetTwoFactor: () => idle(),
  useUserInvitation: () => ({ resend: { ...idle(), reset: vi.fn() }, revoke: { ...idle(), reset: vi.fn() } }),
}));

function show(url: string) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[url]}>
        <Routes>
          <Route path="/staff/users" element={<UsersPage />} />
          <Route path="/staff/users/:id" element={<UserPage />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('UserPage', () => {
  it('shows who they are, where they are signed in and what they did', async () => {
    show('/staff/users/u1');
    expect(await screen.findByRole('heading', { name: 'Casey Client' })).toBeInTheDocument();
    const devices = await screen.findByRole('region', { name: 'Signed in on' });
    expect(await within(devices).findByText(/Firefox 128/)).toBeInTheDocument();
    const activity = screen.getByRole('region', { name: 'What they did' });
    expect(await within(activity).findByText(/login/)).toBeInTheDocument();
    vi.spyOn(window, 'confirm').mockReturnValueOnce(true);
    await userEvent.click(within(devices).getByRole('button', { name: 'Sign out everywhere' }));
    expect(signOut.mutate).toHaveBeenCalledWith('u1', expect.anything());
  });

  it('is linked from the users list', async () => {
    show('/staff/users');
    expect(await screen.findByRole('link', { name: 'Casey Client' })).toHaveAttribute('href', '/staff/users/u1');
  });
});

describe('custom roles', () => {
  it('are renamed in place and deleted once confirmed; built-in ones are neither', async () => {
    show('/staff/users');
    const rename = await screen.findByRole('form', { name: 'Rename Auditor' });
    const field = within(rename).getByLabelText('Name of Auditor');
    await userEvent.clear(field);
    await userEvent.type(field, 'Auditors');
    await userEvent.click(within(rename).getByRole('button', { name: 'Rename' }));
    expect(updateRole.mutate).toHaveBeenCalledWith({ id: 'r2', name: 'Auditors' });
    vi.spyOn(window, 'confirm').mockReturnValueOnce(true);
    await userEvent.click(screen.getByRole('button', { name: 'Delete the role Auditor' }));
    expect(deleteRole.mutate).toHaveBeenCalledWith('r2');
    expect(screen.queryByRole('form', { name: 'Rename Client' })).toBeNull();
  });
});
