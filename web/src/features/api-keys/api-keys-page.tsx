import { useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { dateTime } from '@/lib/format';
import { can, type Perm } from '@/lib/authorization';
import { usePermissionCatalogue } from '@/lib/api/shared';
import { useSession } from '@/lib/session';
import { StatusBadge } from '@/components/ui/badge';
import { SelectField, TextField } from '@/components/ui/field';
import { Empty, FormError, QueryState, ShowMore, fieldError } from '@/components/ui/states';
import { PermissionChecklist } from '@/components/ui/permission-checklist';
import { accountsQuery, apiKeysQuery, useApiKeyActions, type ApiKey, type CreatedApiKey } from './api';

type Actions = ReturnType<typeof useApiKeyActions>;

/** Admins' page: the keys integrators use, made here, shown once, revoked here. */
export function ApiKeysPage() {
  const { t } = useTranslation('api-keys');
  const actions = useApiKeyActions();
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  return (
    <>
      <h1>{t('page.title')}</h1>
      <p className="muted">
        <Trans t={t} i18nKey="page.intro" components={{ code: <code /> }} />
      </p>
      {created && <NewSecret created={created} dismiss={() => setCreated(null)} />}
      <KeyList actions={actions} />
      <CreateForm actions={actions} created={setCreated} />
    </>
  );
}

/** The secret of the key just made: shown this once, with a way to copy it. */
function NewSecret({ created, dismiss }: { created: CreatedApiKey; dismiss: () => void }) {
  const { t } = useTranslation('api-keys');
  const [copied, setCopied] = useState(false);
  return (
    <section className="panel" aria-labelledby="new-secret">
      <h2 id="new-secret">{t('newSecret.title', { name: created.name })}</h2>
      <p role="status">{t('newSecret.made', { name: created.name })}</p>
      <TextField
        label={t('newSecret.label')}
        readOnly
        value={created.secret}
        onFocus={(e) => e.currentTarget.select()}
      />
      <button
        type="button"
        className="btn btn--primary"
        onClick={() => void navigator.clipboard?.writeText(created.secret).then(() => setCopied(true))}
      >
        {copied ? t('newSecret.copied') : t('newSecret.copy')}
      </button>{' '}
      <button type="button" className="btn" onClick={dismiss}>
        {t('newSecret.kept')}
      </button>
    </section>
  );
}

function KeyList({ actions }: { actions: Actions }) {
  const { t } = useTranslation('api-keys');
  const keysList = useInfiniteQuery(apiKeysQuery());
  const { revoke } = actions;
  return (
    <section aria-labelledby="keys">
      <h2 id="keys">{t('keyList.title')}</h2>
      <FormError error={revoke.error} />
      {revoke.isSuccess && <p role="status">{t('keyList.revoked', { name: revoke.data.name })}</p>}
      <QueryState query={keysList} what={t('keyList.loading')}>
        {(data) => {
          const rows = data.pages.flatMap((p) => p.items);
          if (rows.length === 0) return <Empty>{t('keyList.empty')}</Empty>;
          return (
            <>
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t('keyList.key')}</th>
                    <th scope="col">{t('keyList.sees')}</th>
                    <th scope="col">{t('keyList.permissions')}</th>
                    <th scope="col">{t('keyList.made')}</th>
                    <th scope="col">{t('keyList.lastUsed')}</th>
                    <th scope="col">{t('keyList.status')}</th>
                    <th scope="col">{t('keyList.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((k) => (
                    <KeyRow key={k.id} k={k} actions={actions} />
                  ))}
                </tbody>
              </table>
              <ShowMore query={keysList} what={t('keyList.more')} />
            </>
          );
        }}
      </QueryState>
    </section>
  );
}

function KeyRow({ k, actions }: { k: ApiKey; actions: Actions }) {
  const { t } = useTranslation('api-keys');
  const { revoke } = actions;
  return (
    <tr>
      <td data-label={t('keyList.key')}>
        {k.name}
        <div className="muted">
          <code>{k.prefix}…</code>
        </div>
      </td>
      <td data-label={t('keyList.sees')}>
        {k.client_id ? (k.client_name ?? t('keyRow.oneClientAccount')) : t('keyRow.theAgency')}
      </td>
      <td data-label={t('keyList.permissions')}>
        {k.permissions.join(', ')}
        {k.rate_limit_per_minute && (
          <div className="muted">{t('keyRow.requestsAMinute', { count: k.rate_limit_per_minute })}</div>
        )}
      </td>
      <td data-label={t('keyList.made')}>
        {dateTime(k.created_at)}
        <div className="muted">
          {k.created_by_name ? t('keyRow.madeBy', { name: k.created_by_name }) : t('keyRow.madeByRemoved')}
        </div>
        {k.expires_at && <div className="muted">{t('keyRow.expires', { date: dateTime(k.expires_at) })}</div>}
      </td>
      <td data-label={t('keyList.lastUsed')}>
        {k.last_used_at ? dateTime(k.last_used_at) : t('keyRow.never')}
        {k.last_used_address && <div className="muted">{t('keyRow.from', { address: k.last_used_address })}</div>}
      </td>
      <td data-label={t('keyList.status')}>
        <StatusBadge status={k.status} />
      </td>
      <td data-label={t('keyList.actions')}>
        {k.status === 'active' && (
          <button
            type="button"
            className="btn btn--danger"
            disabled={revoke.isPending}
            aria-label={t('keyRow.revokeName', { name: k.name })}
            onClick={() => {
              if (window.confirm(t('keyRow.confirmRevoke', { name: k.name }))) revoke.mutate(k.id);
            }}
          >
            {t('keyRow.revoke')}
          </button>
        )}
      </td>
    </tr>
  );
}

interface Draft {
  name: string;
  clientId: string;
  permissions: Perm[];
  expires: string;
  rate: string;
}

function CreateForm({ actions, created }: { actions: Actions; created: (key: CreatedApiKey) => void }) {
  const { t } = useTranslation('api-keys');
  const { me } = useSession();
  const accounts = useQuery(accountsQuery());
  const { create } = actions;
  const empty: Draft = { name: '', clientId: '', permissions: [], expires: '', rate: '' };
  const [form, setForm] = useState(empty);
  // What the caller holds and a key may carry; a key held to an account only what a client may.
  const catalogue = usePermissionCatalogue();
  const choices = (form.clientId ? catalogue.client : catalogue.staff).filter(
    (p) => can(me, p) && catalogue.byKey.includes(p),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = {
      name: form.name,
      permissions: form.permissions,
      client_id: form.clientId || null,
      // The end of the chosen day, in the browser's time zone.
      expires_at: form.expires ? new Date(`${form.expires}T23:59:59`).toISOString() : null,
      rate_limit_per_minute: form.rate ? Number(form.rate) : null,
    };
    create.mutate(body, {
      onSuccess: (key) => {
        setForm(empty);
        created(key);
      },
    });
  };
  return (
    <form className="panel" onSubmit={submit}>
      <h2>{t('createForm.title')}</h2>
      <FormError error={create.error} />
      {accounts.isError && (
        <p className="form-error" role="alert">
          {t('createForm.accountsFailed')}
        </p>
      )}
      <div className="grid">
        <TextField
          label={t('createForm.name')}
          hint={t('createForm.nameHint')}
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
          error={fieldError(create.error, 'name')}
        />
        <SelectField
          label={t('createForm.sees')}
          value={form.clientId}
          onChange={(e) => setForm({ ...form, clientId: e.target.value, permissions: [] })}
          error={fieldError(create.error, 'client_id')}
        >
          <option value="">{t('createForm.theAgency')}</option>
          {(accounts.data?.items ?? []).map((c) => (
            <option key={c.id} value={c.id}>
              {t('createForm.onlyClient', { name: c.name })}
            </option>
          ))}
        </SelectField>
        <TextField
          label={t('createForm.expires')}
          hint={t('createForm.expiresHint')}
          type="date"
          value={form.expires}
          onChange={(e) => setForm({ ...form, expires: e.target.value })}
          error={fieldError(create.error, 'expires_at')}
        />
        <TextField
          label={t('createForm.rate')}
          hint={t('createForm.rateHint')}
          type="number"
          min={1}
          max={100000}
          value={form.rate}
          onChange={(e) => setForm({ ...form, rate: e.target.value })}
          error={fieldError(create.error, 'rate_limit_per_minute')}
        />
      </div>
      <PermissionChecklist
        legend={t('createForm.permissions')}
        choices={choices}
        value={form.permissions}
        onChange={(permissions) => setForm({ ...form, permissions })}
        describe
        error={fieldError(create.error, 'permissions')}
      />
      <button className="btn btn--primary" type="submit" disabled={create.isPending}>
        {t('createForm.submit')}
      </button>
    </form>
  );
}
