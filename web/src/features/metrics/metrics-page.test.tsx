import { useEffect } from 'react';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider, queryOptions } from '@tanstack/react-query';
import { MemoryRouter, useLocation } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MetricsPage } from './metrics-page';
import type { Asked, MetricsFilters } from './api';

const FROM = '2026-09-07T00:00:00Z';
const TO = '2026-11-30T10:00:00Z';
const figures = {
  users: 12,
  invited: 10,
  accepted: 8,
  active_7_days: 5,
  active_30_days: 7,
  logins: 42,
  median_seconds_to_first_login: 2 * 86_400 + 3 * 3600,
  last_visit_at: '2026-11-29T16:00:00Z',
};
const adoption = {
  from: FROM,
  to: TO,
  totals: figures,
  clients: [
    { ...figures, client_id: 'c-acme', client_name: 'Acme, Inc.', users: 9, logins: 30 },
    { ...figures, client_id: 'c-globex', client_name: 'Globex', users: 3, median_seconds_to_first_login: null },
  ],
  weeks: [
    { week: '2026-11-16', logins: 10, people: 4 },
    { week: '2026-11-23', logins: 12, people: 5 },
  ],
  users: [
    {
      user_id: 'u-sam',
      name: 'Sam Client',
      email: 'sam@acme.test',
      client_id: 'c-acme',
      client_name: 'Acme, Inc.',
      status: 'active',
      invited_at: '2026-09-01T09:00:00Z',
      first_login_at: '2026-09-01T14:30:00Z',
      seconds_to_first_login: 5.5 * 3600,
      last_visit_at: '2026-11-29T16:00:00Z',
      logins: 17,
    },
  ],
};
const responses = (asked: Asked) => ({
  from: FROM,
  to: TO,
  asked,
  target_hours: 8,
  totals: { asked: 20, answered: 18, open: 2, within_target: 15, median_seconds: 5.5 * 3600, p90_seconds: 14 * 3600 },
  by_client: [
    { id: 'c-acme', name: 'Acme, Inc.', asked: 20, answered: 18, open: 2, within_target: 15, median_seconds: 19_800 },
  ],
  by_project: [],
  by_staff: [
    { id: 's-ada', name: 'Ada Admin', asked: 20, answered: 18, open: 2, within_target: 15, median_seconds: 7200 },
  ],
  by_week: [
    {
      week: '2026-11-23',
      asked: 20,
      answered: 18,
      open: 2,
      within_target: 15,
      median_seconds: 19_800,
      p90_seconds: null,
    },
  ],
});
const awaiting = [
  {
    comment_id: 'q-1',
    task_id: 't-launch',
    task_title: 'Launch plan',
    client_id: 'c-acme',
    client_name: 'Acme, Inc.',
    author_name: 'Sam Client',
    asked_at: '2026-11-27T09:00:00Z',
    channel: 'email',
    waiting_seconds: 12 * 3600,
    overdue: true,
  },
];
const channels = {
  from: FROM,
  to: TO,
  weeks: [{ week: '2026-11-23', portal: 6, email: 2 }],
  clients: [{ client_id: 'c-acme', client_name: 'Acme, Inc.', portal: 6, email: 2, weeks: [] }],
};
const satisfaction = {
  from: FROM,
  to: TO,
  totals: { sent: 10, answered: 4, average: 4.25, scores: [0, 0, 1, 1, 2] },
  by_client: [{ id: 'c-acme', name: 'Acme, Inc.', sent: 10, answered: 4, average: 4.25, scores: [0, 0, 1, 1, 2] }],
  by_project: [],
  by_staff: [],
  by_week: [{ week: '2026-11-23', sent: 10, answered: 4, average: 4.25, scores: [0, 0, 1, 1, 2] }],
  answers: [
    {
      survey_id: 's-1',
      client_id: 'c-acme',
      client_name: 'Acme, Inc.',
      person: 'Sam Client',
      subject: 'task',
      title: 'Launch plan',
      score: 5,
      comment: 'Quick, "great" work',
      answered_at: '2026-11-28T10:00:00Z',
    },
  ],
};

const asked: Record<string, unknown[]> = {};
const record = (what: string, ...args: unknown[]) => (asked[what] ??= []).push(args);

vi.mock('@/lib/api/shared', () => ({
  activeClientsQuery: () =>
    queryOptions({
      queryKey: ['clients'],
      queryFn: async () => ({
        items: [
          { id: 'c-acme', name: 'Acme, Inc.' },
          { id: 'c-globex', name: 'Globex' },
        ],
        next_cursor: null,
      }),
    }),
}));
vi.mock('./api', () => ({
  adoptionQuery: (filters: MetricsFilters) =>
    queryOptions({
      queryKey: ['metrics', 'adoption', filters],
      queryFn: async () => (record('adoption', filters), adoption),
    }),
  responsivenessQuery: (filters: MetricsFilters, who: Asked) =>
    queryOptions({
      queryKey: ['metrics', 'responsiveness', who, filters],
      queryFn: async () => (record('responsiveness', filters, who), responses(who)),
    }),
  awaitingRepliesQuery: (clientId: string | undefined, all: boolean) =>
    queryOptions({
      queryKey: ['metrics', 'awaiting', clientId ?? null, all],
      queryFn: async () => (record('awaiting', clientId, all), awaiting),
    }),
  channelsQuery: (filters: MetricsFilters) =>
    queryOptions({
      queryKey: ['metrics', 'channels', filters],
      queryFn: async () => (record('channels', filters), channels),
    }),
  satisfactionQuery: (filters: MetricsFilters) =>
    queryOptions({
      queryKey: ['metrics', 'satisfaction', filters],
      queryFn: async () => (record('satisfaction', filters), satisfaction),
    }),
}));

/** Where the page has put itself: its query string. */
const seen = { search: '' };
function Where() {
  const here = useLocation();
  useEffect(() => {
    seen.search = here.search;
  });
  return null;
}

function show(url = '/staff/metrics') {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[url]}>
        <MetricsPage />
        <Where />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const last = (what: string) => asked[what]![asked[what]!.length - 1] as unknown[];

beforeEach(() => {
  for (const key of Object.keys(asked)) delete asked[key];
});

describe('the portal metrics page', () => {
  it('shows the adoption headline figures and the per-client and per-person tables', async () => {
    show();
    expect(screen.getByRole('heading', { level: 1, name: 'Portal metrics' })).toBeInTheDocument();
    const section = (await screen.findByRole('heading', { name: 'Adoption' })).closest('section')!;
    await within(section).findByRole('table', { name: 'Adoption per client' });
    const figure = (label: string) =>
      within(section)
        .getAllByRole('term')
        .find((dt) => dt.textContent === label)!.nextElementSibling;
    expect(figure('Client users')).toHaveTextContent('12');
    expect(figure('Invited')).toHaveTextContent('10');
    expect(figure('Accepted')).toHaveTextContent('8' + '80% of those invited');
    expect(figure('Active in the last 7 days')).toHaveTextContent('5');
    expect(figure('Active in the last 30 days')).toHaveTextContent('7');
    expect(figure('Sign-ins in the period')).toHaveTextContent('42');
    expect(figure('Median time to first sign-in')).toHaveTextContent('2 days 3 hours');

    const perClient = within(section).getByRole('table', { name: 'Adoption per client' });
    const rows = within(perClient).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(within(rows[1]!).getByRole('rowheader')).toHaveTextContent('Acme, Inc.');
    expect(rows[1]).toHaveTextContent('30');
    expect(within(rows[2]!).getAllByRole('cell')[6]).toHaveTextContent('—');

    const perPerson = within(section).getByRole('table', { name: 'Adoption per person' });
    expect(within(perPerson).getByText('sam@acme.test')).toBeInTheDocument();
    expect(within(perPerson).getByText('5 hours')).toBeInTheDocument();

    // The chart's numbers are in the page as a table too, and every table downloads.
    const chart = within(section).getByRole('figure', { name: 'Sign-ins per week' });
    expect(within(chart).getByRole('table', { name: 'Sign-ins per week' })).toHaveTextContent('12');
    expect(within(section).getByRole('button', { name: 'Download CSV — Adoption per client' })).toBeInTheDocument();
  });

  it('asks for our wait for clients when the response-time toggle is switched', async () => {
    show();
    const section = (await screen.findByRole('heading', { name: 'Response times' })).closest('section')!;
    expect(await within(section).findByText('5.5 business hours')).toBeInTheDocument();
    expect(within(section).getByText('8 business hours')).toBeInTheDocument();
    expect(within(section).getByText('15 of 18')).toBeInTheDocument();
    expect(last('responsiveness')[1]).toBe('by_clients');

    await userEvent.click(within(section).getByRole('radio', { name: 'Us waiting for clients' }));
    await waitFor(() => expect(last('responsiveness')[1]).toBe('by_agency'));
    expect(seen.search).toContain('asked=by_agency');
    expect(within(section).getByRole('radio', { name: 'Us waiting for clients' })).toBeChecked();
    expect(
      await within(section).findByRole('table', { name: 'Response times per staff member who asked' }),
    ).toBeInTheDocument();
  });

  it('takes the client from ?client_id= to every query, and keeps a new choice in the URL', async () => {
    show('/staff/metrics?client_id=c-globex');
    await screen.findByRole('table', { name: 'Adoption per client' });
    await waitFor(() => expect(asked.satisfaction).toBeDefined());
    for (const what of ['adoption', 'responsiveness', 'channels', 'satisfaction'])
      expect((last(what)[0] as MetricsFilters).client_id, what).toBe('c-globex');
    expect(last('awaiting')[0]).toBe('c-globex');
    expect(await screen.findByRole('option', { name: 'Globex' })).toBeInTheDocument();
    expect(screen.getByLabelText('Client')).toHaveValue('c-globex');

    await userEvent.selectOptions(screen.getByLabelText('Period'), '4w');
    await userEvent.selectOptions(screen.getByLabelText('Client'), 'c-acme');
    await userEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect((last('adoption')[0] as MetricsFilters).client_id).toBe('c-acme'));
    expect(new URLSearchParams(seen.search).get('client_id')).toBe('c-acme');
    expect(new URLSearchParams(seen.search).get('period')).toBe('4w');
    const from = new Date((last('adoption')[0] as MetricsFilters).from!);
    const days = (Date.now() - from.getTime()) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(28);
    expect(days).toBeLessThan(29);
  });

  it('asks for custom dates, the last day whole', async () => {
    show();
    await screen.findByRole('table', { name: 'Adoption per client' });
    await userEvent.selectOptions(screen.getByLabelText('Period'), 'custom');
    await userEvent.type(screen.getByLabelText('From'), '2026-09-01');
    await userEvent.type(screen.getByLabelText('To'), '2026-09-30');
    await userEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() =>
      expect(last('channels')[0]).toEqual({
        from: new Date('2026-09-01T00:00:00').toISOString(),
        to: new Date('2026-10-01T00:00:00').toISOString(),
      }),
    );
    expect(seen.search).toBe('?period=custom&from=2026-09-01&to=2026-09-30');
  });

  it('lists the replies past the commitment, linked to their tasks, and every unanswered one on request', async () => {
    show();
    const section = (await screen.findByRole('heading', { name: 'Awaiting reply' })).closest('section')!;
    const table = await within(section).findByRole('table', {
      name: 'Client replies past the commitment, longest wait first',
    });
    expect(within(table).getByRole('link', { name: 'Launch plan' })).toHaveAttribute('href', '/staff/tasks/t-launch');
    expect(table).toHaveTextContent('12.0 business hours');
    expect(table).toHaveTextContent('E-mail');
    expect(last('awaiting')).toEqual([undefined, false]);
    await userEvent.click(within(section).getByRole('checkbox', { name: /Show every unanswered client reply/ }));
    await waitFor(() => expect(last('awaiting')).toEqual([undefined, true]));
    expect(
      await within(section).findByRole('table', { name: 'Unanswered client replies, longest wait first' }),
    ).toBeInTheDocument();
  });

  it('shows portal against e-mail and the satisfaction scores with the answers', async () => {
    show();
    const channelSection = (await screen.findByRole('heading', { name: 'Portal vs e-mail' })).closest('section')!;
    const perClient = await within(channelSection).findByRole('table', { name: 'Questions by channel per client' });
    expect(within(perClient).getAllByRole('row')[1]).toHaveTextContent('Acme, Inc.628');

    const satisfactionSection = screen.getByRole('heading', { name: 'Satisfaction' }).closest('section')!;
    expect(await within(satisfactionSection).findByText('4.25 out of 5')).toBeInTheDocument();
    expect(within(satisfactionSection).getByText('4 of 10 surveys sent')).toBeInTheDocument();
    const scores = within(satisfactionSection).getByRole('table', { name: 'Scores given' });
    expect(within(scores).getAllByRole('row')[5]).toHaveTextContent('5250%');
    // A table without rows says so, and has nothing to download.
    const perStaff = within(satisfactionSection).getByText('Satisfaction per staff member').parentElement!;
    expect(perStaff).toHaveTextContent('Nothing in this period.');
    expect(within(perStaff).queryByRole('button')).toBeNull();
    // Over all clients the projects are not listed, and the page says how to see them.
    const perProject = within(satisfactionSection).getByText('Satisfaction per project').parentElement!;
    expect(perProject).toHaveTextContent('Choose a client to see its projects.');
    const answers = within(satisfactionSection).getByRole('table', { name: 'Latest answers' });
    expect(answers).toHaveTextContent('Task: Launch plan');
    expect(answers).toHaveTextContent('Quick, "great" work');
  });

  it('downloads a table as CSV with its columns and rows', async () => {
    const blobs: Blob[] = [];
    Object.assign(URL, { createObjectURL: (b: Blob) => (blobs.push(b), 'blob:x'), revokeObjectURL: () => undefined });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    show();
    await userEvent.click(await screen.findByRole('button', { name: 'Download CSV — Latest answers' }));
    const text = (await blobs[0]!.text()).replace(/^\uFEFF/, '');
    expect(text).toBe(
      'Answered,Client,Person,About,Score,Comment\r\n' +
        '2026-11-28T10:00:00Z,"Acme, Inc.",Sam Client,Task: Launch plan,5,"Quick, ""great"" work"\r\n',
    );
    click.mockRestore();
  });
});
