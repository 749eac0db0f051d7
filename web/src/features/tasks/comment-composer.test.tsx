import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/lib/api/problem';
import { CommentComposer } from './comment-composer';

describe('CommentComposer', () => {
  it('defaults staff to an internal Note that cannot be mistaken for a Reply', async () => {
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    render(<CommentComposer canNote canReply pending={false} error={null} onSubmit={onSubmit} />);
    expect(screen.getByLabelText('Internal note — staff only')).toBeChecked();
    expect(screen.getByText('Internal note', { selector: 'p' })).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Internal note (the client never sees it)'), 'budget is tight');
    await userEvent.click(screen.getByRole('button', { name: 'Add internal note' }));
    expect(onSubmit).toHaveBeenCalledWith('budget is tight', 'note', []);
  });

  it('says "Visible to client" and changes its button when staff choose Reply', async () => {
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    render(<CommentComposer canNote canReply pending={false} error={null} onSubmit={onSubmit} />);
    await userEvent.click(screen.getByLabelText('Reply — visible to client'));
    expect(screen.getByText('Visible to client', { selector: 'p' })).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Reply (the client sees it)'), 'on its way');
    await userEvent.click(screen.getByRole('button', { name: 'Send reply to client' }));
    expect(onSubmit).toHaveBeenCalledWith('on its way', 'reply', []);
  });

  it('offers clients a Reply box only, and viewers nothing', () => {
    const { unmount } = render(
      <CommentComposer canNote={false} canReply pending={false} error={null} onSubmit={vi.fn()} />,
    );
    expect(screen.queryByText(/Internal note/)).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Send reply' })).toBeInTheDocument();
    unmount();
    const { container } = render(
      <CommentComposer canNote={false} canReply={false} pending={false} error={null} onSubmit={vi.fn()} />,
    );
    expect(container).toBeEmptyDOMElement();
  });

  it("sends the files picked with the comment, and says a Note's files are internal too", async () => {
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    render(<CommentComposer canNote canReply canAttach pending={false} error={null} onSubmit={onSubmit} />);
    const file = new File(['hello'], 'brief.txt', { type: 'text/plain' });
    await userEvent.upload(screen.getByLabelText('Attach files (internal, like the note)'), file);
    expect(screen.getByRole('list', { name: 'Files to attach' })).toHaveTextContent('brief.txt');
    await userEvent.type(screen.getByLabelText('Internal note (the client never sees it)'), 'see attached');
    await userEvent.click(screen.getByRole('button', { name: 'Add internal note' }));
    expect(onSubmit).toHaveBeenCalledWith('see attached', 'note', [file]);
  });

  it("shows the server's message next to the field it names", () => {
    const error = new ApiError({
      type: 'urn:portico:problem:validation-failed',
      title: 'Validation failed',
      status: 422,
      detail: 'see errors',
      errors: { body: ['must be between 1 and 20000 characters'] },
    });
    render(<CommentComposer canNote={false} canReply pending={false} error={error} onSubmit={vi.fn()} />);
    const field = screen.getByLabelText('Your reply');
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field).toHaveAccessibleDescription('must be between 1 and 20000 characters');
  });
});
