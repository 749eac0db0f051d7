import { useState } from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Schemas } from '@/lib/api/client';
import { AutomationsFields, parseDays } from './automations-fields';

type Automations = Schemas['Automations'];
let latest: Automations | null = null;

function Harness({ initial }: { initial: Automations }) {
  const [value, setValue] = useState(initial);
  const change = (next: Automations) => {
    latest = next;
    setValue(next);
  };
  return <AutomationsFields value={value} onChange={change} error={null} />;
}

const start: Automations = {
  notify_task_done: true,
  weekly_summary: false,
  invoice_reminders: [{ days: -3, message: 'Invoice {number} is due on {due_date}.' }],
  feedback_reminder_days: [2],
};

describe('the automation settings', () => {
  beforeEach(() => {
    latest = null;
  });

  it('switch the task-done e-mail and the weekly summary', async () => {
    render(<Harness initial={start} />);
    await userEvent.click(screen.getByRole('checkbox', { name: /moves to Done/ }));
    await userEvent.click(screen.getByRole('checkbox', { name: /weekly summary/ }));
    expect(latest).toMatchObject({ notify_task_done: false, weekly_summary: true });
  });

  it('name each reminder stage by its days, and add, edit and remove stages', async () => {
    render(<Harness initial={start} />);
    expect(screen.getByText('Stage 1: 3 days before it is due')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Add a reminder stage' }));
    const days = screen.getAllByLabelText('Days from the due date')[1];
    await userEvent.clear(days);
    await userEvent.type(days, '14');
    expect(screen.getByText('Stage 2: 14 days overdue')).toBeInTheDocument();
    await userEvent.type(screen.getAllByLabelText('Message')[1], 'Still unpaid');
    expect(latest?.invoice_reminders?.[1]).toEqual({ days: 14, message: 'Still unpaid' });
    await userEvent.click(screen.getByRole('button', { name: 'Remove stage 1' }));
    expect(latest?.invoice_reminders).toEqual([{ days: 14, message: 'Still unpaid' }]);
    expect(screen.getByLabelText('Days from the due date')).toHaveValue('14');
  });

  it('keep the review reminder days as typed while reading them as numbers', async () => {
    render(<Harness initial={start} />);
    const field = screen.getByLabelText(/Review reminders/);
    await userEvent.clear(field);
    await userEvent.type(field, '1, 3, ');
    expect(field).toHaveValue('1, 3, ');
    expect(latest?.feedback_reminder_days).toEqual([1, 3]);
    expect(parseDays('')).toEqual([]);
  });
});
