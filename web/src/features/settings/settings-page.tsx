import { useState, type FormEvent } from 'react';
import type { Schemas } from '@/lib/api/client';
import { TASK_STATUSES } from '@/lib/choices';
import { label } from '@/lib/format';
import { SelectField, TextArea, TextField } from '@/components/ui/field';
import { LocaleField } from '@/components/ui/locale-field';
import { FormError, QueryState, fieldError } from '@/components/ui/states';
import { AutomationsFields } from './automations-fields';
import { useRemoveLogo, useSaveSettings, useSettings, useUploadLogo, type Settings } from './api';

type Card = Schemas['Card'];

export function SettingsPage() {
  const settings = useSettings();
  return (
    <>
      <h1>Portal settings</h1>
      <QueryState query={settings} what="Loading settings">
        {(s) => <SettingsForm settings={s} />}
      </QueryState>
    </>
  );
}

function SettingsForm({ settings }: { settings: Settings }) {
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
        <h2>Branding</h2>
        <div className="grid">
          <TextField
            label="Agency name"
            value={form.agency_name}
            onChange={(e) => setForm({ ...form, agency_name: e.target.value })}
            error={fieldError(save.error, 'agency_name')}
          />
          <TextField
            label="Logo URL"
            value={form.logo_url ?? ''}
            onChange={(e) => setForm({ ...form, logo_url: e.target.value })}
            error={fieldError(save.error, 'logo_url')}
          />
          <div className="field">
            <label htmlFor="logo-file">Upload a logo</label>
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
              PNG or JPEG, up to 1 MiB: shown in the portal and on invoice and statement PDFs.
            </p>
            <FormError error={uploadLogo.error ?? removeLogo.error} />
            {form.logo_url?.startsWith('/api/v1/branding/logo') && (
              <p>
                <img src={form.logo_url} alt="The current logo" height={40} />{' '}
                <button
                  type="button"
                  className="btn"
                  onClick={() => removeLogo.mutate(undefined, { onSuccess: logoChanged })}
                >
                  Remove logo
                </button>
              </p>
            )}
          </div>
          <TextField
            label="Primary colour"
            type="color"
            value={form.primary_color}
            onChange={(e) => setForm({ ...form, primary_color: e.target.value })}
            error={fieldError(save.error, 'primary_color')}
          />
          <TextField
            label="Accent colour"
            type="color"
            value={form.accent_color}
            onChange={(e) => setForm({ ...form, accent_color: e.target.value })}
            error={fieldError(save.error, 'accent_color')}
          />
        </div>
      </section>
      <section className="panel">
        <h2>Invoices and statements</h2>
        <div className="grid">
          <TextArea
            label="Agency address"
            hint="Printed under the agency's name on invoice and statement PDFs."
            value={form.agency_address}
            onChange={(e) => setForm({ ...form, agency_address: e.target.value })}
            error={fieldError(save.error, 'agency_address')}
          />
          <SelectField
            label="Paper size"
            value={form.invoice_paper}
            onChange={(e) => setForm({ ...form, invoice_paper: e.target.value as Settings['invoice_paper'] })}
          >
            <option value="a4">A4</option>
            <option value="letter">US Letter</option>
          </SelectField>
          <LocaleField
            label="Number format"
            value={form.locale}
            onChange={(locale) => setForm({ ...form, locale })}
            error={fieldError(save.error, 'locale')}
            fallback="The agency's, for every client without its own; left empty, it stays as it was."
          />
        </div>
      </section>
      <section className="panel">
        <h2>Portal home</h2>
        <TextArea
          label="Welcome message"
          hint="{name} becomes the reader's first name."
          value={form.welcome_message}
          onChange={(e) => setForm({ ...form, welcome_message: e.target.value })}
          error={fieldError(save.error, 'welcome_message')}
        />
        <TextField
          label="Booking link"
          value={form.booking_url ?? ''}
          onChange={(e) => setForm({ ...form, booking_url: e.target.value })}
          error={fieldError(save.error, 'booking_url')}
        />
        <fieldset>
          <legend>Task statuses the home lists as ongoing</legend>
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
              {label(s)}
            </label>
          ))}
        </fieldset>
      </section>
      <section className="panel">
        <h2>Quick-action cards</h2>
        {form.cards.map((c, i) => (
          <fieldset key={i} className="grid">
            <legend>Card {i + 1}</legend>
            <TextField
              label="Title"
              value={c.title}
              onChange={(e) => setCard(i, { title: e.target.value })}
              error={fieldError(save.error, `cards[${i}].title`)}
            />
            <TextField
              label="Description"
              value={c.description}
              onChange={(e) => setCard(i, { description: e.target.value })}
            />
            <SelectField
              label="Opens"
              value={c.action}
              onChange={(e) => setCard(i, { action: e.target.value as Card['action'] })}
            >
              <option value="projects">Projects</option>
              <option value="billing">Billing</option>
              <option value="booking">The booking link</option>
              <option value="link">Another link</option>
            </SelectField>
            {c.action === 'link' && (
              <TextField
                label="Link"
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
              Remove card {i + 1}
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
          Add a card
        </button>
      </section>
      <AutomationsFields
        value={form.automations}
        onChange={(automations) => setForm({ ...form, automations })}
        error={save.error}
      />
      <button className="btn btn--primary" type="submit" disabled={save.isPending}>
        Save settings
      </button>
      {save.isSuccess && <span role="status"> Saved.</span>}
    </form>
  );
}
