import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/lib/api/problem';
import { CommentBody } from './task-page';

const edit = { isPending: false, error: null as unknown, mutate: vi.fn() };
vi.mock('./api', () => ({ useEditComment: () => edit }));

const comment = {
  id: 'c1',
  task_id: 't1',
  author_id: 'me',
  author_name: 'Casey',
  author_is_client: true,
  body: 'Monday?',
  visibility: 'reply' as const,
  edited_at: null,
  created_at: '2026-11-30T10:00:00Z',
  pending_release: false,
  attachments: [],
};

describe("a comment's text", () => {
  it('is edited in place by its author and saved', async () => {
    render(<CommentBody c={comment} taskId="t1" editable />);
    await userEvent.click(screen.getByRole('button', { name: 'Edit' }));
    const field = screen.getByLabelText('Edit your comment');
    await userEvent.clear(field);
    await userEvent.type(field, 'Tuesday?');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(edit.mutate).toHaveBeenCalledWith({ id: 'c1', body: 'Tuesday?' }, expect.anything());
  });

  it('keeps what was written when the save fails, and says why', async () => {
    edit.error = new ApiError({
      status: 422,
      title: 'Invalid',
      detail: 'Invalid input.',
      errors: { body: ['is too long'] },
    } as never);
    render(<CommentBody c={comment} taskId="t1" editable />);
    await userEvent.click(screen.getByRole('button', { name: 'Edit' }));
    await userEvent.type(screen.getByLabelText('Edit your comment'), ' and more');
    expect(screen.getByLabelText('Edit your comment')).toHaveValue('Monday? and more');
    expect(screen.getByLabelText('Edit your comment')).toHaveAccessibleDescription(/too long/);
    edit.error = null;
  });

  it('offers no Edit to anyone but its author', () => {
    render(<CommentBody c={comment} taskId="t1" editable={false} />);
    expect(screen.getByText('Monday?')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Edit' })).not.toBeInTheDocument();
  });
});
