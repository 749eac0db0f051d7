import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '@/lib/api/client';
import { TASK_STATUSES } from '@/lib/choices';
import { SelectField, TextArea, TextField } from '@/components/ui/field';
import { LocaleField } from '@/components/ui/locale-field';
import { LanguageField } from '@/components/ui/language-field';
import { FormError, QueryState, fieldError } from '@/components/ui/states';
import { AutomationsFields } from './automations-fields';
import { SurveyFields, WorkingCalendarFields } from './measuring-fields';
import { useRemoveLogo, useSaveSettings, useSettings, useUploadLogo, type Settings } from './api';

type Card = Schemas['Card'];

export function SettingsPage() {
  const { t } = useTranslation('settings');
  const settings = useSettings();
  return (
    <>
      <h1>{t('page.title')}</h1>
      <QueryState query={settings} what={t('page.loading')}>
        {(s) => <SettingsForm settings={s} />}
      </QueryState>
    </>
  );
}

function SettingsForm({ settings }: { settings: Settings }) {
  const { t } = useTranslation(['settings', 'common']);
  const [form, setForm] = useState(settings);
  const save = useSaveSettings();
  const uploadLogo = useUploadLogo();
  const removeLogo = useRemoveLogo();
  // Only the logo changed on the server: keep whatever else is being edited.
  const logoChanged = (s: Settings) => setForm((f) => ({ ...f, logo_url: s.logo_url }));
  const submit = () =>
    save.mutate(
      {
        agency_name: form.agency_name,
        welcome_message: form.welcome_message,
        cards: form.cards.map((c) => ({ ...c, url: c.url || null })),
        home_task_statuses: form.home_task_statuses,
        booking_url: form.booking_url || null,
        // The uploaded logo's own address is the server's to set: send only a changed URL.
        ...(form.logo_url !== settings.logo_url ? { logo_url: form.logo_url || null } : {}),
        primary_color: form.primary_color,
        accent_color: form.accent_color,
        agency_address: form.agency_address,
        invoice_paper: form.invoice_paper,
        automations: form.automations,
        // The agency always has a locale: an emptied field leaves it as it was.
        ...(form.locale.trim() ? { locale: form.locale.trim() } : {}),
        language: form.language,
        working_calendar: form.working_calendar,
        surveys: form.surveys,
      },
      { onSuccess: setForm },
    );
  const setCard = (i: number, patch: Partial<Card>) =>
    setForm({ ...form, cards: form.cards.map((c, j) => (j === i ? { ...c, ...patch } : c)) });
  return (
    <form
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        submit();
      }}
    >
      <FormError error={save.error} />
      <section className="panel">
        <h2>{t('branding.title')}</h2>
        <div className="grid">
          <TextField
            label={t('branding.agencyName')}
            value={form.agency_name}
            onChange={(e) => setForm({ ...form, agency_name: e.target.value })}
            error={fieldError(save.error, 'agency_name')}
          />
          <TextField
            label={t('branding.logoUrl')}
            value={form.logo_url ?? ''}
            onChange={(e) => setForm({ ...form, logo_url: e.target.value })}
            error={fieldError(save.error, 'logo_url')}
          />
          <div className="field">
            <label htmlFor="logo-file">{t('branding.uploadLogo')}</label>
            <input
              id="logo-file"
              type="file"
              accept="image/png,image/jpeg"
              aria-describedby="logo-hint"
              onChange={(e) => {
                const input = e.target;
                const file = input.files?.[0];
                // Cleared, so choosing the same file again (after fixing it) uploads it again.
                if (file) uploadLogo.mutate(file, { onSuccess: logoChanged, onSettled: () => (input.value = '') });
              }}
            />
            <p id="logo-hint" className="muted">
              {t('branding.logoHint')}
            </p>
            <FormError error={uploadLogo.error ?? removeLogo.error} />
            {form.logo_url?.startsWith('/api/v1/branding/logo') && (
              <p>
                <img src={form.logo_url} alt={t('branding.currentLogo')} height={40} />{' '}
                <button
                  type="button"
                  className="btn"
                  onClick={() => removeLogo.mutate(undefined, { onSuccess: logoChanged })}
                >
                  {t('branding.removeLogo')}
                </button>
              </p>
            )}
          </div>
          <TextField
            label={t('branding.primaryColour')}
            type="color"
            value={form.primary_color}
            onChange={(e) => setForm({ ...form, primary_color: e.target.value })}
            error={fieldError(save.error, 'primary_color')}
          />
          <TextField
            label={t('branding.accentColour')}
            type="color"
            value={form.accent_color}
            onChange={(e) => setForm({ ...form, accent_color: e.target.value })}
            error={fieldError(save.error, 'accent_color')}
          />
        </div>
      </section>
      <section className="panel">
        <h2>{t('documents.title')}</h2>
        <div className="grid">
          <TextArea
            label={t('documents.agencyAddress')}
            hint={t('documents.agencyAddressHint')}
            value={form.agency_address}
            onChange={(e) => setForm({ ...form, agency_address: e.target.value })}
            error={fieldError(save.error, 'agency_address')}
          />
          <SelectField
            label={t('documents.paperSize')}
            value={form.invoice_paper}
            onChange={(e) => setForm({ ...form, invoice_paper: e.target.value as Settings['invoice_paper'] })}
          >
            <option value="a4">{t('documents.paper.a4')}</option>
            <option value="letter">{t('documents.paper.letter')}</option>
          </SelectField>
          <LocaleField
            label={t('documents.numberFormat')}
            value={form.locale}
            onChange={(locale) => setForm({ ...form, locale })}
            error={fieldError(save.error, 'locale')}
            fallback={t('documents.numberFormatFallback')}
          />
          <LanguageField
            label={t('documents.language')}
            hint={t('documents.languageHint')}
            value={form.language}
            onChange={(language) => language && setForm({ ...form, language })}
            error={fieldError(save.error, 'language')}
          />
        </div>
      </section>
      <section className="panel">
        <h2>{t('portalHome.title')}</h2>
        <TextArea
          label={t('portalHome.welcomeMessage')}
          hint={t('portalHome.welcomeMessageHint')}
          value={form.welcome_message}
          onChange={(e) => setForm({ ...form, welcome_message: e.target.value })}
          error={fieldError(save.error, 'welcome_message')}
        />
        <TextField
          label={t('portalHome.bookingLink')}
          value={form.booking_url ?? ''}
          onChange={(e) => setForm({ ...form, booking_url: e.target.value })}
          error={fieldError(save.error, 'booking_url')}
        />
        <fieldset>
          <legend>{t('portalHome.ongoingStatuses')}</legend>
          {TASK_STATUSES.map((s) => (
            <label key={s} className="checkbox">
              <input
                type="checkbox"
                checked={form.home_task_statuses.includes(s)}
                onChange={(e) =>
                  setForm({
                    ...form,
                    home_task_statuses: e.target.checked
                      ? [...form.home_task_statuses, s]
                      : form.home_task_statuses.filter((x) => x !== s),
                  })
                }
              />{' '}
              {t(`common:status.${s}`)}
            </label>
          ))}
        </fieldset>
      </section>
      <section className="panel">
        <h2>{t('cards.title')}</h2>
        {form.cards.map((c, i) => (
          <fieldset key={i} className="grid">
            <legend>{t('cards.legend', { number: i + 1 })}</legend>
            <TextField
              label={t('cards.cardTitle')}
              value={c.title}
              onChange={(e) => setCard(i, { title: e.target.value })}
              error={fieldError(save.error, `cards[${i}].title`)}
            />
            <TextField
              label={t('cards.description')}
              value={c.description}
              onChange={(e) => setCard(i, { description: e.target.value })}
            />
            <SelectField
              label={t('cards.opens')}
              value={c.action}
              onChange={(e) => setCard(i, { action: e.target.value as Card['action'] })}
            >
              <option value="projects">{t('cards.action.projects')}</option>
              <option value="billing">{t('cards.action.billing')}</option>
              <option value="booking">{t('cards.action.booking')}</option>
              <option value="link">{t('cards.action.link')}</option>
            </SelectField>
            {c.action === 'link' && (
              <TextField
                label={t('cards.link')}
                value={c.url ?? ''}
                onChange={(e) => setCard(i, { url: e.target.value })}
                error={fieldError(save.error, `cards[${i}].url`)}
              />
            )}
            <button
              type="button"
              className="link"
              onClick={() => setForm({ ...form, cards: form.cards.filter((_, j) => j !== i) })}
            >
              {t('cards.remove', { number: i + 1 })}
            </button>
          </fieldset>
        ))}
        <button
          type="button"
          className="btn"
          onClick={() =>
            setForm({ ...form, cards: [...form.cards, { title: '', description: '', action: 'link', url: '' }] })
          }
        >
          {t('cards.add')}
        </button>
      </section>
      <AutomationsFields
        value={form.automations}
        onChange={(automations) => setForm({ ...form, automations })}
        error={save.error}
      />
      <SurveyFields value={form.surveys} onChange={(surveys) => setForm({ ...form, surveys })} error={save.error} />
      <WorkingCalendarFields
        value={form.working_calendar}
        onChange={(working_calendar) => setForm({ ...form, working_calendar })}
        error={save.error}
      />
      <button className="btn btn--primary" type="submit" disabled={save.isPending}>
        {t('form.save')}
      </button>
      {save.isSuccess && <span role="status"> {t('form.saved')}</span>}
    </form>
  );
}
