import { useTranslation } from 'react-i18next';
import { LANGUAGE_NAMES, LANGUAGES, type Language } from '@/lib/i18n';
import { SelectField } from './field';

/** A choice of the languages Portico speaks, each in its own name, and — for a person — none
 * (automatic: the browser's, else the agency's). */
export function LanguageField({
  label,
  hint,
  value,
  onChange,
  automatic = false,
  error,
}: {
  label: string;
  hint?: string;
  value: Language | null;
  onChange: (language: Language | null) => void;
  /** Offer "Automatic" (a `null` value). */
  automatic?: boolean;
  error?: string;
}) {
  const { t } = useTranslation();
  return (
    <SelectField
      label={label}
      hint={hint}
      error={error}
      value={value ?? ''}
      onChange={(e) => onChange(e.target.value ? (e.target.value as Language) : null)}
    >
      {automatic && <option value="">{t('app.languageAutomatic')}</option>}
      {LANGUAGES.map((l) => (
        <option key={l} value={l} lang={l}>
          {LANGUAGE_NAMES[l]}
        </option>
      ))}
    </SelectField>
  );
}
