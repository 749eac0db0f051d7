import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DueDate } from './due-date';

describe('a due date', () => {
  it('says Overdue in words once it has passed on an open task', () => {
    render(<DueDate due="2020-01-15" status="in_progress" />);
    expect(screen.getByText('Overdue')).toBeInTheDocument();
  });
  it('is only the date on a task done, or due in the future', () => {
    const { rerender } = render(<DueDate due="2020-01-15" status="done" />);
    expect(screen.queryByText('Overdue')).not.toBeInTheDocument();
    rerender(<DueDate due="2999-01-15" status="todo" />);
    expect(screen.queryByText('Overdue')).not.toBeInTheDocument();
  });
});
