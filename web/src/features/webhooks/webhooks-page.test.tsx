import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider, infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import { WebhooksPage } from './webhooks-page';

const endpoint = {
  id: 'w1',
  url: 'https://hooks.example.test/portico',
  event_types: ['task.updated'],
  client_id: null,
  active: true,
  created_at: '2026-11-30T10:00:00Z',
};
const mutation = () => ({ isPending: false, isSuccess: false, error: null, mutate: vi.fn() });
const actions = { create: mutation(), update: mutation(), remove: mutation(), redeliver: mutation() };

vi.mock('@/lib/api/shared', () => ({
  activeClientsQuery: () =>
    queryOptions({
      queryKey: ['clients'],
      queryFn: async () => ({ items: [{ id: 'c-acme', name: 'Acme Corp' }], next_cursor: null }),
    }),
}));
vi.mock('./api', async (original) => ({
  ...(await original<typeof import('./api')>()),
  webhooksQuery: () => queryOptions({ queryKey: ['webhooks'], queryFn: async () => [endpoint] }),
  eventKindsQuery: () =>
    queryOptions({
      queryKey: ['event-kinds'],
      queryFn: async () =>
        ['task.created', 'task.updated', 'comment.created', 'invoice.sent', 'invoice.paid', 'note.changed'].map(
          (kind) => ({
            kind,
            description: `about ${kind}`,
            staff_only: kind === 'note.changed',
          }),
        ),
    }),
  deliveriesQuery: () =>
    infiniteQueryOptions({
      queryKey: ['deliveries'],
      initialPageParam: undefined as string | undefined,
      getNextPageParam: () => undefined,
      queryFn: async () => ({
        items: [
          {
            id: 'd1',
            event_id: 42,
            kind: 'task.updated',
            status: 'failed',
            attempts: 8,
            last_status: 500,
            last_error: 'the endpoint answered 500',
            next_attempt_at: '2026-11-30T11:00:00Z',
            created_at: '2026-11-30T10:00:00Z',
            delivered_at: null,
          },
        ],
        next_cursor: null,
      }),
    }),
  useWebhookActions: () => actions,
}));

function show() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <WebhooksPage />
    </QueryClientProvider>,
  );
}

describe('the webhooks page', () => {
  it('adds an endpoint for the chosen events, held to one client without Notes', async () => {
    show();
    const form = screen.getByRole('form', { name: 'New endpoint' });
    await userEvent.type(within(form).getByLabelText('URL'), 'https://crm.example.test/in');
    expect(within(form).getByRole('button', { name: 'Add endpoint' })).toBeDisabled();
    await userEvent.click(within(form).getByRole('checkbox', { name: 'task.created' }));
    expect(within(form).getByRole('checkbox', { name: /note\.changed/ })).toBeInTheDocument();
    await userEvent.selectOptions(await within(form).findByLabelText('Events of'), 'c-acme');
    expect(within(form).queryByRole('checkbox', { name: /note\.changed/ })).not.toBeInTheDocument();
    await userEvent.click(within(form).getByRole('button', { name: 'Add endpoint' }));
    expect(actions.create.mutate).toHaveBeenCalledWith(
      { url: 'https://crm.example.test/in', event_types: ['task.created'], client_id: 'c-acme' },
      expect.anything(),
    );
  });

  it('pauses, shows the delivery log with the error, redelivers, and deletes only once confirmed', async () => {
    show();
    const section = await screen.findByRole('region', { name: `Endpoint ${endpoint.url}` });
    await userEvent.click(within(section).getByRole('button', { name: 'Pause' }));
    expect(actions.update.mutate).toHaveBeenCalledWith({ id: 'w1', active: false });
    await userEvent.click(within(section).getByRole('button', { name: 'Deliveries' }));
    expect(await within(section).findByText('the endpoint answered 500')).toBeInTheDocument();
    await userEvent.click(within(section).getByRole('button', { name: 'Redeliver event 42' }));
    expect(actions.redeliver.mutate).toHaveBeenCalledWith('d1');
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    await userEvent.click(within(section).getByRole('button', { name: 'Delete' }));
    expect(actions.remove.mutate).not.toHaveBeenCalled();
    await userEvent.click(within(section).getByRole('button', { name: 'Delete' }));
    expect(actions.remove.mutate).toHaveBeenCalledWith('w1');
    confirm.mockRestore();
  });

  it('edits the URL and events of an endpoint in place', async () => {
    show();
    const section = await screen.findByRole('region', { name: `Endpoint ${endpoint.url}` });
    await userEvent.click(within(section).getByRole('button', { name: 'Edit' }));
    const form = screen.getByRole('form', { name: `Edit ${endpoint.url}` });
    expect(within(form).getByRole('checkbox', { name: 'task.updated' })).toBeChecked();
    await userEvent.click(within(form).getByRole('checkbox', { name: 'invoice.paid' }));
    await userEvent.click(within(form).getByRole('button', { name: 'Save endpoint' }));
    expect(actions.update.mutate).toHaveBeenCalledWith(
      { id: 'w1', url: endpoint.url, event_types: ['task.updated', 'invoice.paid'] },
      expect.anything(),
    );
  });
});
