import { useTranslation } from 'react-i18next';
import { date, isOverdue } from '@/lib/format';

/** A task's due date, marked "Overdue" (in words, not only colour) once it has passed. */
export function DueDate({ due, status }: { due: string | null | undefined; status: string }) {
  const { t } = useTranslation();
  if (!isOverdue(due, status)) return <>{date(due)}</>;
  return (
    <span className="overdue">
      {date(due)} <span className="badge badge--overdue">{t('overdue')}</span>
    </span>
  );
}
