import { FormError } from './states';

/** A destructive action at the foot of a page: it asks `ask` first, and shows why it failed. */
export function DangerZone({
  label,
  ask,
  error,
  pending,
  onConfirm,
}: {
  label: string;
  /** The question the confirmation puts: what goes, and what stops it. */
  ask: string;
  error: unknown;
  pending: boolean;
  onConfirm: () => void;
}) {
  return (
    <div className="danger-zone">
      <FormError error={error} />
      <button
        type="button"
        className="btn btn--danger"
        disabled={pending}
        onClick={() => {
          if (window.confirm(ask)) onConfirm();
        }}
      >
        {label}
      </button>
    </div>
  );
}
