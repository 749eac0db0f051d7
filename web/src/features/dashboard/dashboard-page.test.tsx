import { render, screen, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider, queryOptions } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { DashboardPage } from './dashboard-page';

const reply = {
  comment_id: 'c-q3',
  task_id: 't-launch',
  task_title: 'Launch plan',
  client_id: 'c-acme',
  client_name: 'Acme Corp',
  author_name: 'Sam Client',
  body: 'Who signs off?',
  created_at: '2026-11-12T09:00:00Z',
};
let awaiting: object[] = [];
vi.mock('./api', () => ({
  dashboardQuery: () =>
    queryOptions({
      queryKey: ['dashboard', awaiting.length],
      queryFn: async () => ({
        client_replies: [reply],
        awaiting_reply: awaiting,
        overdue_invoices: [],
        tasks_due: [],
      }),
    }),
}));

function show() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter>
        <DashboardPage />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('the staff dashboard', () => {
  it('lists the client replies still awaiting an answer', async () => {
    awaiting = [];
    show();
    const section = (await screen.findByRole('heading', { name: 'Client replies awaiting an answer' })).closest(
      'section',
    )!;
    expect(within(section).getByRole('link', { name: 'Launch plan' })).toHaveAttribute('href', '/staff/tasks/t-launch');
    expect(screen.queryByRole('heading', { name: 'Awaiting reply past the commitment' })).toBeNull();
  });

  it('puts the replies past the commitment first, with how long they have waited', async () => {
    awaiting = [
      { ...reply, asked_at: reply.created_at, channel: 'portal', waiting_seconds: 18 * 3600 + 120, overdue: true },
    ];
    show();
    const heading = await screen.findByRole('heading', { name: 'Awaiting reply past the commitment' });
    const section = heading.closest('section')!;
    expect(section).toHaveTextContent('Launch plan — Sam Client (Acme Corp) has waited 18 business hours');
  });
});
