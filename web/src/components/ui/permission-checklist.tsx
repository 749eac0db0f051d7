import type { ReactNode } from 'react';
import type { Perm } from '@/lib/authorization';
import { usePermissionCatalogue } from '@/lib/api/shared';

/** A checkbox per permission of `choices`, ticked as `value` holds them. */
export function PermissionChecklist({
  legend,
  hideLegend = false,
  choices,
  value,
  onChange,
  describe = false,
  error,
}: {
  legend: ReactNode;
  hideLegend?: boolean;
  choices: Perm[];
  value: Perm[];
  onChange: (next: Perm[]) => void;
  /** Says after each what it lets one do. */
  describe?: boolean;
  error?: string;
}) {
  // In the language shown: the server writes the catalogue in the one asked.
  const { summary } = usePermissionCatalogue();
  return (
    <fieldset className="perm-grid">
      <legend className={hideLegend ? 'visually-hidden' : undefined}>{legend}</legend>
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
      {choices.map((p) => (
        <label key={p} className="checkbox">
          <input
            type="checkbox"
            checked={value.includes(p)}
            onChange={(e) => onChange(e.target.checked ? [...value, p] : value.filter((x) => x !== p))}
          />{' '}
          {p}
          {describe && summary(p) && <span className="muted"> ({summary(p)})</span>}
        </label>
      ))}
    </fieldset>
  );
}
