import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '@/lib/api/client';
import { TextField } from '@/components/ui/field';
import { fieldError } from '@/components/ui/states';

type Calendar = Schemas['WorkingCalendar'];
type Surveys = Schemas['SurveySettings'];
type Weekday = Calendar['days'][number];

const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Parses "2026-12-24, 2026-12-25" into dates; anything else is left for the server to refuse. */
export function parseDates(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

/** When the agency works: response times count only these hours. */
export function WorkingCalendarFields({
  value,
  onChange,
  error,
}: {
  value: Calendar;
  onChange: (next: Calendar) => void;
  error: unknown;
}) {
  const { t } = useTranslation('settings');
  // Typed as text and read on each change, so a half-typed date does not jump about.
  const [holidays, setHolidays] = useState((value.holidays ?? []).join(', '));
  const toggle = (day: Weekday, on: boolean) =>
    onChange({ ...value, days: WEEKDAYS.filter((d) => (d === day ? on : value.days.includes(d))) });
  return (
    <section className="panel" aria-labelledby="working-calendar">
      <h2 id="working-calendar">{t('calendar.title')}</h2>
      <p className="muted">{t('calendar.intro')}</p>
      <TextField
        label={t('calendar.timeZone')}
        hint={t('calendar.timeZoneHint')}
        value={value.time_zone}
        onChange={(e) => onChange({ ...value, time_zone: e.target.value })}
        error={fieldError(error, 'working_calendar.time_zone')}
      />
      <fieldset>
        <legend>{t('calendar.days')}</legend>
        {WEEKDAYS.map((d) => (
          <label key={d} className="checkbox">
            <input type="checkbox" checked={value.days.includes(d)} onChange={(e) => toggle(d, e.target.checked)} />{' '}
            {t(`calendar.weekday.${d}`)}
          </label>
        ))}
        {fieldError(error, 'working_calendar.days') && (
          <p className="field__error" role="alert">
            {fieldError(error, 'working_calendar.days')}
          </p>
        )}
      </fieldset>
      <TextField
        label={t('calendar.starts')}
        type="time"
        value={value.starts}
        onChange={(e) => onChange({ ...value, starts: e.target.value })}
        error={fieldError(error, 'working_calendar.starts')}
      />
      <TextField
        label={t('calendar.ends')}
        hint={t('calendar.endsHint')}
        value={value.ends}
        onChange={(e) => onChange({ ...value, ends: e.target.value })}
        error={fieldError(error, 'working_calendar.ends')}
      />
      <TextField
        label={t('calendar.holidays')}
        hint={t('calendar.holidaysHint')}
        value={holidays}
        onChange={(e) => {
          setHolidays(e.target.value);
          onChange({ ...value, holidays: parseDates(e.target.value) });
        }}
        error={fieldError(error, 'working_calendar.holidays') ?? fieldError(error, 'working_calendar')}
      />
    </section>
  );
}

/** When clients are asked how satisfied they are. */
export function SurveyFields({
  value,
  onChange,
  error,
}: {
  value: Surveys;
  onChange: (next: Surveys) => void;
  error: unknown;
}) {
  const { t } = useTranslation('settings');
  return (
    <section className="panel" aria-labelledby="surveys">
      <h2 id="surveys">{t('surveys.title')}</h2>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={value.on_task_done}
          onChange={(e) => onChange({ ...value, on_task_done: e.target.checked })}
        />{' '}
        {t('surveys.onTaskDone')}
      </label>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={value.on_project_completed}
          onChange={(e) => onChange({ ...value, on_project_completed: e.target.checked })}
        />{' '}
        {t('surveys.onProjectCompleted')}
      </label>
      <TextField
        label={t('surveys.everyWeeks')}
        hint={t('surveys.everyWeeksHint')}
        type="number"
        min={1}
        max={52}
        value={value.every_weeks ?? ''}
        onChange={(e) => onChange({ ...value, every_weeks: e.target.value === '' ? null : Number(e.target.value) })}
        error={fieldError(error, 'surveys.every_weeks')}
      />
    </section>
  );
}
