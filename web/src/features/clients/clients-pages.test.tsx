import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider, queryOptions } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { pagedQuery } from '@/lib/api/paging';
import { ApiError } from '@/lib/api/problem';
import { ClientDetailPage } from './clients-pages';

const client = {
  id: 'c1',
  name: 'Acme Corp',
  status: 'active',
  notes: null,
  billing_address: null,
  tax_id: null,
  locale: null,
  team_self_service: false,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};
const contact = {
  id: 'k1',
  client_id: 'c1',
  name: 'Dana Doe',
  email: 'dana@acme.test',
  phone: null,
  is_primary: true,
  portal_access: 'active',
  user_id: 'u1',
  invitation_expires_at: null,
};
const idle = () => ({ isPending: false, isSuccess: false, error: null as unknown, mutate: vi.fn() });
const update = idle();
const remove = idle();
const deleteClient = idle();

vi.mock('@/lib/session', () => ({
  session: {},
  useSession: () => ({ me: { id: 'me', kind: 'staff', permissions: ['clients.read', 'clients.write'] } }),
}));
vi.mock('./api', () => ({
  clientQuery: () => queryOptions({ queryKey: ['client'], queryFn: async () => client }),
  contactsQuery: () => pagedQuery(['contacts'], async () => ({ items: [contact], next_cursor: null })),
  clientRolesQuery: () => queryOptions({ queryKey: ['roles'], queryFn: async () => [] }),
  clientProjectsQuery: () => pagedQuery(['projects'], async () => ({ items: [], next_cursor: null })),
  useUpdateClient: () => idle(),
  useDeleteClient: () => deleteClient,
  useViewAs: () => idle(),
  useContactActions: () => ({ add: idle(), invite: idle(), revoke: idle(), makePrimary: idle(), update, remove }),
}));

function show() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <MemoryRouter initialEntries={['/staff/clients/c1']}>
        <Routes>
          <Route path="/staff/clients/:id" element={<ClientDetailPage />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('a client’s contacts', () => {
  it('are edited in place, keeping what was typed when the server refuses it', async () => {
    show();
    await userEvent.click(await screen.findByRole('button', { name: 'Edit Dana Doe' }));
    const form = screen.getByRole('form', { name: 'Edit Dana Doe' });
    await userEvent.clear(within(form).getByLabelText('Phone'));
    await userEvent.type(within(form).getByLabelText('Phone'), '+49 30 1234');
    await userEvent.click(within(form).getByRole('button', { name: 'Save contact' }));
    expect(update.mutate).toHaveBeenCalledWith(
      { id: 'k1', name: 'Dana Doe', email: 'dana@acme.test', phone: '+49 30 1234' },
      expect.anything(),
    );
    update.error = new ApiError({ status: 409, title: 'Conflict', detail: 'That e-mail is taken.' } as never);
    await userEvent.type(within(form).getByLabelText('E-mail'), 'x');
    expect(within(form).getByLabelText('E-mail')).toHaveValue('dana@acme.testx');
    update.error = null;
  });

  it('are deleted once confirmed, told that a portal login stays', async () => {
    show();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(true);
    await userEvent.click(await screen.findByRole('button', { name: 'Delete Dana Doe' }));
    expect(confirm.mock.calls[0][0]).toMatch(/portal login stays/);
    expect(remove.mutate).toHaveBeenCalledWith('k1');
  });
});

describe('deleting a client', () => {
  it('says what it takes with it and what stops it, and asks first', async () => {
    show();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false);
    await userEvent.click(await screen.findByRole('button', { name: 'Delete client' }));
    expect(confirm.mock.calls.at(-1)?.[0]).toMatch(/contacts are deleted with it.*set it inactive instead/);
    expect(deleteClient.mutate).not.toHaveBeenCalled();
  });
});
