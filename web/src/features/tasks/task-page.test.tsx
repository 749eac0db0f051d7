import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider, infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { TaskPage } from './task-page';

const comment = (id: string, body: string) => ({
  id,
  task_id: 't1',
  author_id: 'someone',
  author_name: 'Casey',
  author_is_client: true,
  body,
  visibility: 'reply' as const,
  edited_at: null,
  created_at: '2026-11-30T10:00:00Z',
  pending_release: false,
  attachments: [],
});
const task = {
  id: 't1',
  client_id: 'c1',
  project_id: 'p1',
  project_name: 'Website',
  title: 'Homepage',
  description: 'The first screen',
  status: 'todo',
  priority: 'medium',
  assignee_id: null,
  assignee_name: null,
  due_date: null,
  position: 1,
  created_at: '2026-11-01T00:00:00Z',
  updated_at: '2026-11-01T00:00:00Z',
  comments: { items: [comment('c1', 'First of many')], next_cursor: 'later-1' },
};
const idle = () => ({ isPending: false, isSuccess: false, error: null as unknown, data: undefined, mutate: vi.fn() });
const update = idle();
const remove = idle();
const laterAsked: string[] = [];

vi.mock('@/lib/session', () => ({
  useSession: () => ({ me: { id: 'me', kind: 'staff', permissions: ['tasks.write', 'comments.note'] } }),
}));
vi.mock('@/lib/files', () => ({ bytes: (n: number) => `${n} B`, download: vi.fn(), upload: vi.fn() }));
vi.mock('@/lib/api/shared', () => ({
  staffMembersQuery: () => queryOptions({ queryKey: ['staff'], queryFn: async () => [] }),
}));
vi.mock('./api', () => ({
  taskPageQuery: () => queryOptions({ queryKey: ['task'], queryFn: async () => task }),
  laterCommentsQuery: (_id: string, start: string) =>
    infiniteQueryOptions({
      queryKey: ['later', start],
      initialPageParam: start,
      queryFn: async ({ pageParam }) => {
        laterAsked.push(pageParam);
        return pageParam === 'later-1'
          ? { items: [comment('c2', 'Second page')], next_cursor: 'later-2' }
          : { items: [comment('c3', 'Third page')], next_cursor: null };
      },
      getNextPageParam: (page: { next_cursor: string | null }) => page.next_cursor ?? undefined,
    }),
  usePostComment: () => idle(),
  useTurnComment: () => idle(),
  useEditComment: () => idle(),
  useDeleteComment: () => idle(),
  useUpdateTask: () => update,
  useDeleteTask: () => remove,
}));

function show() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={['/staff/tasks/t1']}>
        <Routes>
          <Route path="/staff/tasks/:id" element={<TaskPage />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('TaskPage', () => {
  it('reads a long thread a page at a time, only when asked', async () => {
    show();
    expect(await screen.findByText('First of many')).toBeInTheDocument();
    expect(laterAsked).toEqual([]);
    await userEvent.click(screen.getByRole('button', { name: 'Show more comments' }));
    expect(await screen.findByText('Second page')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: /show more comments/i }));
    expect(await screen.findByText('Third page')).toBeInTheDocument();
    expect(laterAsked).toEqual(['later-1', 'later-2']);
    expect(screen.queryByRole('button', { name: /show more/i })).toBeNull();
  });

  it('saves the title and description together', async () => {
    show();
    const form = await screen.findByRole('form', { name: 'Title and description' });
    const save = within(form).getByRole('button', { name: 'Save title and description' });
    expect(save).toBeDisabled();
    await userEvent.clear(within(form).getByLabelText('Title'));
    await userEvent.type(within(form).getByLabelText('Title'), 'Landing page');
    await userEvent.click(save);
    expect(update.mutate).toHaveBeenCalledWith({ title: 'Landing page', description: 'The first screen' });
  });

  it('deletes the task only once the reader confirms', async () => {
    show();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    const button = await screen.findByRole('button', { name: 'Delete task' });
    await userEvent.click(button);
    expect(remove.mutate).not.toHaveBeenCalled();
    await userEvent.click(button);
    expect(confirm.mock.calls[0][0]).toMatch(/whole conversation/);
    expect(remove.mutate).toHaveBeenCalledTimes(1);
    confirm.mockRestore();
  });
});
