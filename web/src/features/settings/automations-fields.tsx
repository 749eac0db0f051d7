import { useState } from 'react';
import type { Schemas } from '@/lib/api/client';
import { TextField } from '@/components/ui/field';
import { fieldError } from '@/components/ui/states';

type Automations = Schemas['Automations'];

/** A stage's "days" as people say it. */
function stageName(days: number): string {
  if (days === 0) return 'On the due date';
  return days < 0
    ? `${-days} day${days === -1 ? '' : 's'} before it is due`
    : `${days} day${days === 1 ? '' : 's'} overdue`;
}

/** Parses "3, 7, 14" into whole days; anything else is left for the server to refuse. */
export function parseDays(text: string): number[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((d) => Number(d));
}

/** What Portico does by itself: the task-done e-mail, the weekly summary, invoice reminder
 * stages and review reminders. */
export function AutomationsFields({
  value,
  onChange,
  error,
}: {
  value: Automations;
  onChange: (next: Automations) => void;
  error: unknown;
}) {
  const stages = value.invoice_reminders ?? [];
  const setStage = (i: number, patch: Partial<Schemas['ReminderStage']>) =>
    onChange({ ...value, invoice_reminders: stages.map((s, j) => (j === i ? { ...s, ...patch } : s)) });
  return (
    <section className="panel" aria-labelledby="automations">
      <h2 id="automations">Automations</h2>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={value.notify_task_done}
          onChange={(e) => onChange({ ...value, notify_task_done: e.target.checked })}
        />{' '}
        E-mail a client&apos;s people when one of their tasks moves to Done
      </label>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={value.weekly_summary}
          onChange={(e) => onChange({ ...value, weekly_summary: e.target.checked })}
        />{' '}
        Send each client user a weekly summary (what moved, what is due, unpaid invoices)
      </label>
      <fieldset>
        <legend>Invoice reminders</legend>
        <p className="muted">
          Each stage is sent once per unpaid invoice. Negative days are before the due date. In the message,{' '}
          <code>{'{number}'}</code>, <code>{'{amount}'}</code>, <code>{'{due_date}'}</code>, <code>{'{days}'}</code> and{' '}
          <code>{'{client}'}</code> are filled in.
        </p>
        {stages.map((s, i) => (
          // Keyed by place and count: removing a stage re-reads every field's text from its value.
          <fieldset key={`${i}/${stages.length}`} className="grid">
            <legend>
              Stage {i + 1}: {stageName(s.days)}
            </legend>
            <TypedField
              label="Days from the due date"
              initial={String(s.days)}
              parse={(t) => Number(t.trim())}
              onValue={(days) => setStage(i, { days })}
              error={fieldError(error, `automations.invoice_reminders[${i}].days`)}
            />
            <TextField
              label="Message"
              value={s.message ?? ''}
              onChange={(e) => setStage(i, { message: e.target.value })}
              error={fieldError(error, `automations.invoice_reminders[${i}].message`)}
            />
            <button
              type="button"
              className="link"
              onClick={() => onChange({ ...value, invoice_reminders: stages.filter((_, j) => j !== i) })}
            >
              Remove stage {i + 1}
            </button>
          </fieldset>
        ))}
        <button
          type="button"
          className="btn"
          onClick={() => onChange({ ...value, invoice_reminders: [...stages, { days: 7, message: '' }] })}
        >
          Add a reminder stage
        </button>
      </fieldset>
      <TypedField
        label="Review reminders (days after a review's due date)"
        hint="Whole days separated by commas, e.g. 1, 3, 7. Empty: no review reminders."
        initial={(value.feedback_reminder_days ?? []).join(', ')}
        parse={parseDays}
        onValue={(days) => onChange({ ...value, feedback_reminder_days: days })}
        error={fieldError(error, 'automations.feedback_reminder_days')}
      />
    </section>
  );
}

/** A field whose text is the person's while they type ("-", "1, "), its value parsed from it. */
function TypedField<T>({
  label,
  hint,
  initial,
  parse,
  onValue,
  error,
}: {
  label: string;
  hint?: string;
  initial: string;
  parse: (text: string) => T;
  onValue: (value: T) => void;
  error?: string;
}) {
  const [text, setText] = useState(initial);
  return (
    <TextField
      label={label}
      hint={hint}
      inputMode="numeric"
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onValue(parse(e.target.value));
      }}
      error={error}
    />
  );
}
