import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import type { Schemas } from '@/lib/api/client';
import { ApiError } from '@/lib/api/problem';
import { SurveyFields, WorkingCalendarFields, parseDates } from './measuring-fields';

type Calendar = Schemas['WorkingCalendar'];
const nineToFive: Calendar = {
  time_zone: 'UTC',
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  starts: '09:00',
  ends: '17:00',
  holidays: [],
};

function Calendarish({ seen, error }: { seen: Calendar[]; error?: unknown }) {
  const [value, setValue] = useState(nineToFive);
  return (
    <WorkingCalendarFields
      value={value}
      error={error ?? null}
      onChange={(next) => {
        seen.push(next);
        setValue(next);
      }}
    />
  );
}

describe('the working calendar and survey settings', () => {
  it('keeps the days in week order and reads holidays as dates', async () => {
    const seen: Calendar[] = [];
    render(<Calendarish seen={seen} />);
    await userEvent.click(screen.getByRole('checkbox', { name: 'Saturday' }));
    await userEvent.click(screen.getByRole('checkbox', { name: 'Monday' }));
    expect(seen.at(-1)?.days).toEqual(['tue', 'wed', 'thu', 'fri', 'sat']);
    await userEvent.type(screen.getByLabelText('Holidays'), '2026-12-24, 2026-12-25');
    expect(seen.at(-1)?.holidays).toEqual(['2026-12-24', '2026-12-25']);
    expect(parseDates(' 2027-01-01 ,2027-01-06 ')).toEqual(['2027-01-01', '2027-01-06']);
  });

  it('shows the server’s reason under the field it refused', () => {
    const error = new ApiError({
      type: 'urn:portico:problem:validation',
      title: 'Validation failed',
      status: 422,
      detail: 'The request has fields that need attention.',
      errors: { 'working_calendar.time_zone': ['not a time zone Portico knows'] },
    });
    render(<Calendarish seen={[]} error={error} />);
    expect(screen.getByText('not a time zone Portico knows')).toBeInTheDocument();
  });

  it('turns survey kinds on and the schedule off with an empty field', async () => {
    const seen: Schemas['SurveySettings'][] = [];
    function Surveys() {
      const [value, setValue] = useState<Schemas['SurveySettings']>({
        on_task_done: false,
        on_project_completed: true,
        every_weeks: 4,
      });
      return (
        <SurveyFields
          value={value}
          error={null}
          onChange={(next) => {
            seen.push(next);
            setValue(next);
          }}
        />
      );
    }
    render(<Surveys />);
    await userEvent.click(screen.getByRole('checkbox', { name: /moves to Done/ }));
    expect(seen.at(-1)?.on_task_done).toBe(true);
    await userEvent.clear(screen.getByLabelText(/Also ask every/));
    expect(seen.at(-1)?.every_weeks).toBeNull();
  });
});
