import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { Schemas } from '@/lib/api/client';
import { TextField } from '@/components/ui/field';
import { fieldError } from '@/components/ui/states';

type Automations = Schemas['Automations'];

/** A stage's number and its "days" as people say them. */
function StageLegend({ number, days }: { number: number; days: number }) {
  const { t } = useTranslation('settings');
  if (days === 0) return t('automations.stage.onDueDate', { number });
  return days < 0
    ? t('automations.stage.beforeDue', { number, count: -days })
    : t('automations.stage.overdue', { number, count: days });
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
  const { t } = useTranslation('settings');
  const stages = value.invoice_reminders ?? [];
  const setStage = (i: number, patch: Partial<Schemas['ReminderStage']>) =>
    onChange({ ...value, invoice_reminders: stages.map((s, j) => (j === i ? { ...s, ...patch } : s)) });
  return (
    <section className="panel" aria-labelledby="automations">
      <h2 id="automations">{t('automations.title')}</h2>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={value.notify_task_done}
          onChange={(e) => onChange({ ...value, notify_task_done: e.target.checked })}
        />{' '}
        {t('automations.notifyTaskDone')}
      </label>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={value.weekly_summary}
          onChange={(e) => onChange({ ...value, weekly_summary: e.target.checked })}
        />{' '}
        {t('automations.weeklySummary')}
      </label>
      <fieldset>
        <legend>{t('automations.invoiceReminders')}</legend>
        <p className="muted">
          <Trans t={t} i18nKey="automations.invoiceRemindersHint" components={{ code: <code /> }} />
        </p>
        {stages.map((s, i) => (
          // Keyed by place and count: removing a stage re-reads every field's text from its value.
          <fieldset key={`${i}/${stages.length}`} className="grid">
            <legend>
              <StageLegend number={i + 1} days={s.days} />
            </legend>
            <TypedField
              label={t('automations.stage.days')}
              initial={String(s.days)}
              parse={(text) => Number(text.trim())}
              onValue={(days) => setStage(i, { days })}
              error={fieldError(error, `automations.invoice_reminders[${i}].days`)}
            />
            <TextField
              label={t('automations.stage.message')}
              value={s.message ?? ''}
              onChange={(e) => setStage(i, { message: e.target.value })}
              error={fieldError(error, `automations.invoice_reminders[${i}].message`)}
            />
            <button
              type="button"
              className="link"
              onClick={() => onChange({ ...value, invoice_reminders: stages.filter((_, j) => j !== i) })}
            >
              {t('automations.stage.remove', { number: i + 1 })}
            </button>
          </fieldset>
        ))}
        <button
          type="button"
          className="btn"
          onClick={() => onChange({ ...value, invoice_reminders: [...stages, { days: 7, message: '' }] })}
        >
          {t('automations.stage.add')}
        </button>
      </fieldset>
      <TypedField
        label={t('automations.reviewReminders')}
        hint={t('automations.reviewRemindersHint')}
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
