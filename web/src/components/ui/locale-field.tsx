import { useTranslation } from 'react-i18next';
import { useId } from 'react';
import { documentAmount } from '@/lib/format';
import { TextField } from './field';

/** Locales agencies ask for most; any other BCP 47 tag can be typed. */
const SUGGESTED = [
  'en',
  'en-GB',
  'en-US',
  'en-IN',
  'de-DE',
  'de-AT',
  'de-CH',
  'fr-FR',
  'fr-CH',
  'it-IT',
  'es-ES',
  'nl-NL',
  'pt-BR',
  'sv-SE',
  'pl-PL',
  'ja-JP',
];

/** A BCP 47 locale for documents and e-mails, with a preview of an amount written in it. */
export function LocaleField({
  label,
  value,
  onChange,
  error,
  fallback,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  /** Shown when the field is empty: whose locale applies then. */
  fallback?: string;
}) {
  const { t } = useTranslation();
  const listId = useId();
  const sample = value.trim() ? documentAmount(value.trim()) : null;
  const hint = value.trim()
    ? sample
      ? t('locale.amountsReadLike', { sample })
      : t('locale.notALocale')
    : (fallback ?? t('locale.example'));
  return (
    <>
      <TextField
        label={label}
        value={value}
        list={listId}
        spellCheck={false}
        autoComplete="off"
        placeholder={t('locale.placeholder')}
        onChange={(e) => onChange(e.target.value)}
        hint={hint}
        error={error}
      />
      <datalist id={listId}>
        {SUGGESTED.map((tag) => (
          <option key={tag} value={tag} />
        ))}
      </datalist>
    </>
  );
}
