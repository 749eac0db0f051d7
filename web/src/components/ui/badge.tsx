import { useTranslation } from 'react-i18next';
import { label } from '@/lib/format';

/** A status as a coloured label; colour is never the only cue (the text says it). */
export function StatusBadge({ status }: { status: string }) {
  const { t, i18n } = useTranslation();
  // Statuses and priorities share the badge; one this SPA does not know yet still reads as words.
  const key = [`status.${status}`, `priority.${status}`].find((k) => i18n.exists(k));
  const text = key ? t(key as 'status.done') : label(status);
  return <span className={`badge badge--${status}`}>{text}</span>;
}

export function ProgressBar({ percent, label: text }: { percent: number; label: string }) {
  return (
    <div
      className="progress"
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-label={text}
    >
      <div className="progress__bar" style={{ width: `${percent}%` }} />
      <span className="progress__text">{percent}%</span>
    </div>
  );
}
