import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { pagedQuery } from '@/lib/api/paging';
import { MyTasksPage, filtersOf } from './client-tasks';
import type { TaskFilters } from './api';

const task = (id: string, title: string, due: string | null, status = 'todo') => ({
  id,
  client_id: 'c1',
  project_id: 'p1',
  project_name: 'Website',
  title,
  description: '',
  status,
  priority: 'medium',
  assignee_id: null,
  assignee_name: null,
  due_date: due,
  position: 1,
  created_at: '2026-11-01T00:00:00Z',
  updated_at: '2026-11-01T00:00:00Z',
});

const asked: TaskFilters[] = [];
vi.mock('./api', () => ({
  projectsQuery: () =>
    pagedQuery(['projects'], async () => ({
      items: [{ id: 'p1', name: 'Website' }],
      next_cursor: null,
    })),
  tasksQuery: (filters: TaskFilters) =>
    pagedQuery(['tasks', filters], async (cursor) => {
      asked.push(filters);
      if (cursor) return { items: [task('t3', 'Launch', null)], next_cursor: null };
      return { items: [task('t1', 'Old copy', '2020-01-01'), task('t2', 'Logo', '2099-01-01')], next_cursor: 'next' };
    }),
}));

describe('filtersOf', () => {
  const now = new Date(2026, 11, 3);
  it('asks for open tasks unless told otherwise', () => {
    expect(filtersOf(new URLSearchParams(), now)).toEqual({ open: true });
    expect(filtersOf(new URLSearchParams('status=done&project=p1'), now)).toEqual({ status: 'done', project_id: 'p1' });
    expect(filtersOf(new URLSearchParams('status=all'), now)).toEqual({});
  });
  it('reads overdue as open and due before today, and this week as the next seven days', () => {
    expect(filtersOf(new URLSearchParams('due=overdue&status=done'), now)).toEqual({
      open: true,
      due_before: '2026-12-03',
    });
    expect(filtersOf(new URLSearchParams('due=week'), now)).toEqual({ open: true, due_before: '2026-12-11' });
  });
});

describe('MyTasksPage', () => {
  it('lists every task a page at a time, marks the overdue one and filters by project', async () => {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <QueryClientProvider client={client}>
        <MemoryRouter initialEntries={['/tasks']}>
          <MyTasksPage />
        </MemoryRouter>
      </QueryClientProvider>,
    );
    const rows = await screen.findAllByRole('row');
    expect(rows[1]).toHaveTextContent('Old copy');
    expect(within(rows[1]).getByText(/overdue/i)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: /show more/i }));
    expect(await screen.findByRole('link', { name: 'Launch' })).toHaveAttribute('href', '/tasks/t3');
    await userEvent.selectOptions(await screen.findByRole('combobox', { name: 'Project' }), 'p1');
    await screen.findAllByRole('row');
    expect(asked.at(-1)).toEqual({ open: true, project_id: 'p1' });
  });
});
