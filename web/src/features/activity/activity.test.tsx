import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { pagedQuery } from '@/lib/api/paging';
import { ProjectActivity, SinceLastVisit, byProject, describe as say, summary } from './activity';
import type { ActivityFilter, ActivityItem } from './api';

const item = (kind: ActivityItem['kind'], more: Partial<ActivityItem> = {}): ActivityItem => ({
  at: '2026-12-01T10:00:00Z',
  kind,
  client_id: 'c1',
  project_id: 'p1',
  project_name: 'Website',
  task_id: null,
  file_id: null,
  invoice_id: null,
  title: 'Homepage',
  task_status: null,
  invoice_status: null,
  ...more,
});

const asked: ActivityFilter[] = [];
vi.mock('./api', () => ({
  activityQuery: (filter: ActivityFilter) =>
    pagedQuery(['activity', filter], async (cursor) => {
      asked.push(filter);
      if (filter.since === '2026-12-02T00:00:00Z') return { items: [], next_cursor: null };
      if (cursor) return { items: [item('file_added', { title: 'logo.svg', file_id: 'f1' })], next_cursor: null };
      return {
        items: [
          item('task_updated', { task_id: 't1', task_status: 'done' }),
          item('reply', { task_id: 't1' }),
          item('invoice_sent', { project_id: null, project_name: null, title: 'INV-0001', invoice_id: 'i1' }),
        ],
        next_cursor: 'more',
      };
    }),
}));

function show(ui: React.ReactNode, url = '/') {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <MemoryRouter initialEntries={[url]}>
        <Routes>
          <Route path="/" element={ui} />
          <Route path="/staff/projects/:id" element={ui} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('activity', () => {
  it('says what happened in a few words', () => {
    expect(say(item('task_updated', { task_status: 'in_progress' }))).toBe('Homepage — now In progress');
    expect(say(item('file_version_added', { title: 'brief.pdf' }))).toBe('New version of brief.pdf');
    const items = [item('task_updated', { task_id: 't1' }), item('task_created', { task_id: 't1' }), item('reply')];
    expect(summary(items)).toBe('1 task changed, 1 new reply');
    expect(
      byProject([...items, item('invoice_paid', { project_id: null, project_name: null })]).map((g) => g.name),
    ).toEqual(['Website', 'Billing']);
  });

  it('shows a client what changed since their last visit, project by project, all of it', async () => {
    show(<SinceLastVisit since="2026-12-01T00:00:00Z" />);
    const section = await screen.findByRole('region', { name: 'Since your last visit' });
    const website = await within(section).findByText(/1 task changed, 1 new reply, 1 new file/);
    await userEvent.click(website);
    expect(within(section).getByRole('link', { name: 'Homepage — now Done' })).toHaveAttribute('href', '/tasks/t1');
    expect(within(section).getByRole('link', { name: 'Invoice INV-0001 sent' })).toHaveAttribute('href', '/billing/i1');
    expect(asked).toContainEqual({ since: '2026-12-01T00:00:00Z' });
  });

  it('says so when nothing changed', async () => {
    show(<SinceLastVisit since="2026-12-02T00:00:00Z" />);
    expect(await screen.findByText(/Nothing new since your last visit/)).toBeInTheDocument();
  });

  it('gives staff a project’s feed with links to their own pages, paged', async () => {
    show(<ProjectActivity />, '/staff/projects/p1');
    const feed = await screen.findByRole('region', { name: 'Activity' });
    expect(await within(feed).findByRole('link', { name: 'New reply on Homepage' })).toHaveAttribute(
      'href',
      '/staff/tasks/t1',
    );
    await userEvent.click(within(feed).getByRole('button', { name: /show more/i }));
    expect(await within(feed).findByRole('link', { name: 'New file: logo.svg' })).toHaveAttribute(
      'href',
      '/staff/files/f1',
    );
    expect(asked).toContainEqual({ project_id: 'p1' });
  });
});
