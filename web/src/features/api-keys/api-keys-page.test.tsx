import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider, infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import { ApiKeysPage } from './api-keys-page';

const key = (id: string, name: string, status: string, client: string | null = null) => ({
  id,
  name,
  prefix: `pk_live_${id}`,
  permissions: ['projects.read'],
  client_id: client ? `c-${client}` : null,
  client_name: client,
  created_by: 'me',
  created_by_name: 'Ada Admin',
  created_at: '2026-01-01T00:00:00Z',
  expires_at: null,
  last_used_at: null,
  last_used_address: null,
  revoked_at: status === 'revoked' ? '2026-02-01T00:00:00Z' : null,
  status,
  rate_limit_per_minute: null,
});
const secret = 'pk_live_thewholesecret';
// The caller holds these; a key may be given only what they hold, and never these two.
const held = ['projects.read', 'tasks.read', 'invoices.write', 'impersonate', 'api_keys.manage'];
const create = {
  isPending: false,
  error: null,
  mutate: vi.fn((_body: unknown, { onSuccess }: { onSuccess: (k: unknown) => void }) =>
    onSuccess({ ...key('new', 'Books', 'active'), secret }),
  ),
};
const revoke = { isPending: false, isSuccess: false, error: null, mutate: vi.fn() };

// The server's catalogue (GET /permissions), as much of it as the test needs.
vi.mock('@/lib/api/shared', async () => {
  const real = await import('@/lib/permissions');
  const info = (key: string, client: boolean, apiKeys = true) => ({
    key,
    summary: key,
    description: key,
    client_roles: client,
    staff_roles: key !== 'team.manage',
    api_keys: apiKeys,
  });
  const all = [
    info('projects.read', true),
    info('tasks.read', true),
    info('team.manage', true),
    info('invoices.write', false),
    info('impersonate', false, false),
    info('api_keys.manage', false, false),
  ] as Parameters<typeof real.catalogueOf>[0];
  return { usePermissionCatalogue: () => ({ ...real.catalogueOf(all), isPending: false }) };
});
vi.mock('@/lib/session', () => ({ useSession: () => ({ me: { id: 'me', kind: 'staff', permissions: held } }) }));
vi.mock('./api', () => ({
  apiKeysQuery: () =>
    infiniteQueryOptions({
      queryKey: ['api-keys'],
      initialPageParam: undefined as string | undefined,
      getNextPageParam: () => undefined,
      queryFn: async () => ({
        items: [key('a1', 'Accounting sync', 'active'), key('b2', 'Old feed', 'revoked', 'Acme Corp')],
        next_cursor: null,
      }),
    }),
  accountsQuery: () =>
    queryOptions({
      queryKey: ['clients'],
      queryFn: async () => ({ items: [{ id: 'c-acme', name: 'Acme Corp' }], next_cursor: null }),
    }),
  useApiKeyActions: () => ({ create, revoke }),
}));

function show() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <ApiKeysPage />
    </QueryClientProvider>,
  );
}

describe('ApiKeysPage', () => {
  it('lists keys with what they see, and offers Revoke only for a working one', async () => {
    show();
    const list = await screen.findByRole('region', { name: 'Keys' });
    const [working, revoked] = (await within(list).findAllByRole('row')).slice(1);
    expect(within(working).getByText('The agency')).toBeInTheDocument();
    expect(within(working).getByText('Never')).toBeInTheDocument();
    expect(within(working).getByRole('button', { name: 'Revoke Accounting sync' })).toBeInTheDocument();
    expect(within(revoked).getByText('Acme Corp')).toBeInTheDocument();
    expect(within(revoked).queryByRole('button')).toBeNull();
  });

  it('offers only permissions the caller holds and a key may carry, fewer for a client account', async () => {
    show();
    const perms = await screen.findByRole('group', { name: 'Permissions' });
    expect(within(perms).getByLabelText(/invoices\.write/)).toBeInTheDocument();
    expect(within(perms).queryByLabelText(/impersonate/)).toBeNull();
    expect(within(perms).queryByLabelText(/api_keys\.manage/)).toBeNull();
    expect(within(perms).queryByLabelText(/clients\.read/)).toBeNull();
    await screen.findByRole('option', { name: 'Only Acme Corp (as its Client Admin)' });
    await userEvent.selectOptions(screen.getByLabelText('Sees'), 'c-acme');
    expect(within(perms).queryByLabelText(/invoices\.write/)).toBeNull();
    expect(within(perms).getByLabelText(/tasks\.read/)).toBeInTheDocument();
  });

  it('shows the new key’s secret once, until it is put away', async () => {
    show();
    await userEvent.type(screen.getByLabelText(/^Name/), 'Books');
    await userEvent.click(screen.getByLabelText(/projects\.read/));
    await userEvent.click(screen.getByRole('button', { name: 'Make key' }));
    expect(create.mutate).toHaveBeenCalledWith(
      { name: 'Books', permissions: ['projects.read'], client_id: null, expires_at: null, rate_limit_per_minute: null },
      expect.anything(),
    );
    expect(screen.getByLabelText('Secret')).toHaveValue(secret);
    await userEvent.click(screen.getByRole('button', { name: 'I have kept it' }));
    expect(screen.queryByDisplayValue(secret)).toBeNull();
  });
});
