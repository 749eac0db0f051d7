import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { TextArea } from '@/components/ui/field';
import { FormError, fieldError } from '@/components/ui/states';

const SCORES = [1, 2, 3, 4, 5] as const;

/** A score from 1 to 5 (radio buttons, so the keyboard and screen readers know the choice) and
 * an optional comment. The input stays as typed when the server refuses it. */
export function SurveyForm({
  onAnswer,
  pending,
  error,
}: {
  onAnswer: (score: number, comment: string) => void;
  pending: boolean;
  error: unknown;
}) {
  const { t } = useTranslation('surveys');
  const [score, setScore] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState(false);
  const name = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setMissing(score === null);
    if (score !== null) onAnswer(score, comment.trim());
  };
  return (
    <form onSubmit={submit} noValidate>
      <FormError error={error} />
      <fieldset className="survey-scores">
        <legend>{t('form.score')}</legend>
        {SCORES.map((s) => (
          <label key={s} className="survey-score">
            <input
              type="radio"
              name={name}
              value={s}
              checked={score === s}
              onChange={() => setScore(s)}
              aria-describedby={missing ? `${name}-missing` : undefined}
            />{' '}
            {t(`form.scale.${s}`)}
          </label>
        ))}
        {missing && (
          <p className="field__error" id={`${name}-missing`} role="alert">
            {t('form.scoreMissing')}
          </p>
        )}
      </fieldset>
      <TextArea
        label={t('form.comment')}
        value={comment}
        maxLength={2000}
        onChange={(e) => setComment(e.target.value)}
        error={fieldError(error, 'comment')}
      />
      <button className="btn btn--primary" type="submit" disabled={pending}>
        {t('form.submit')}
      </button>
    </form>
  );
}
