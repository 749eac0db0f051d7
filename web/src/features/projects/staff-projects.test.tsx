import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider, queryOptions } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { pagedQuery } from '@/lib/api/paging';
import { BoardPage } from './staff-projects';

const project = {
  id: 'p1',
  client_id: 'c1',
  client_name: 'Acme Corp',
  name: 'Website',
  description: 'The new site',
  status: 'in_progress',
  start_date: null,
  end_date: null,
  progress: { percent: 0, tasks_done: 0, tasks_total: 3 },
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};
const task = (id: string, title: string, status: string) => ({
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
  due_date: null,
  position: 1,
  created_at: '2026-11-01T00:00:00Z',
  updated_at: '2026-11-01T00:00:00Z',
});
const idle = () => ({ isPending: false, isSuccess: false, error: null as unknown, mutate: vi.fn() });
const move = idle();
const save = idle();
const remove = idle();
const asked: string[] = [];

vi.mock('@/lib/session', () => ({
  useSession: () => ({ me: { id: 'me', kind: 'staff', permissions: ['projects.write', 'tasks.write'] } }),
}));
vi.mock('@/lib/api/shared', () => ({
  activeClientsQuery: () => queryOptions({ queryKey: ['clients'], queryFn: async () => ({ items: [] }) }),
  staffMembersQuery: () => queryOptions({ queryKey: ['staff'], queryFn: async () => [] }),
}));
vi.mock('./api', () => ({
  projectQuery: () => queryOptions({ queryKey: ['project'], queryFn: async () => project }),
  projectsQuery: vi.fn(),
  projectTasksQuery: (_id: string, status: string) =>
    pagedQuery(['tasks', status], async (cursor) => {
      asked.push(`${status}:${cursor ?? ''}`);
      if (status !== 'todo') return { items: [], next_cursor: null };
      return cursor
        ? { items: [task('t2', 'Second page card', 'todo')], next_cursor: null }
        : { items: [task('t1', 'Hero copy', 'todo')], next_cursor: 'todo-2' };
    }),
  useMoveTask: () => move,
  useCreateTask: () => idle(),
  useCreateProject: () => idle(),
  useUpdateProject: () => save,
  useDeleteProject: () => remove,
}));

function show() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <MemoryRouter initialEntries={['/staff/projects/p1']}>
        <Routes>
          <Route path="/staff/projects/:id" element={<BoardPage />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('the board', () => {
  it('reads each column on its own, a page at a time', async () => {
    show();
    const todo = await screen.findByRole('region', { name: 'To do' });
    expect(await within(todo).findByText('Hero copy')).toBeInTheDocument();
    await userEvent.click(within(todo).getByRole('button', { name: /show more/i }));
    expect(await within(todo).findByText('Second page card')).toBeInTheDocument();
    expect(asked).toEqual(expect.arrayContaining(['todo:', 'in_progress:', 'done:', 'todo:todo-2']));
    expect(
      within(screen.getByRole('region', { name: 'Done' })).queryByRole('button', { name: /show more/i }),
    ).toBeNull();
  });

  it('moves a card with the keyboard: its column is chosen from a list', async () => {
    show();
    await userEvent.selectOptions(await screen.findByLabelText('Move “Hero copy” to'), 'done');
    expect(move.mutate).toHaveBeenCalledWith({ task: 't1', status: 'done' });
  });

  it('edits the description and deletes the project after saying what goes with it', async () => {
    show();
    await userEvent.click(await screen.findByText('Edit project'));
    const editor = screen.getByText('Edit project').closest('details')!;
    const description = within(editor).getByLabelText('Description');
    await userEvent.type(description, ', live in May');
    await userEvent.click(screen.getByRole('button', { name: 'Save project' }));
    expect(save.mutate).toHaveBeenCalledWith(expect.objectContaining({ description: 'The new site, live in May' }));
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(true);
    await userEvent.click(screen.getByRole('button', { name: 'Delete project' }));
    expect(confirm.mock.calls[0][0]).toMatch(/its 3 tasks, their conversations and all its files/);
    expect(remove.mutate).toHaveBeenCalled();
  });
});
