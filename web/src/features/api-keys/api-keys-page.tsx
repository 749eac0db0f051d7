import { useState, type FormEvent } from 'react';
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
  const actions = useApiKeyActions();
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  return (
    <>
      <h1>API keys</h1>
      <p className="muted">
        Integrations send a key as <code>Authorization: Bearer pk_live_…</code>. A key can do only what it is given
        here, never more than you hold, and stops working the moment it is revoked or expires. A key held to one client
        account sees exactly what that account&apos;s Client Admin would.
      </p>
      {created && <NewSecret created={created} dismiss={() => setCreated(null)} />}
      <KeyList actions={actions} />
      <CreateForm actions={actions} created={setCreated} />
    </>
  );
}

/** The secret of the key just made: shown this once, with a way to copy it. */
function NewSecret({ created, dismiss }: { created: CreatedApiKey; dismiss: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <section className="panel" aria-labelledby="new-secret">
      <h2 id="new-secret">The secret of “{created.name}”</h2>
      <p role="status">
        “{created.name}” is made. Copy its secret now and keep it somewhere safe: it is not stored, and it will not be
        shown again.
      </p>
      <TextField label="Secret" readOnly value={created.secret} onFocus={(e) => e.currentTarget.select()} />
      <button
        type="button"
        className="btn btn--primary"
        onClick={() => void navigator.clipboard?.writeText(created.secret).then(() => setCopied(true))}
      >
        {copied ? 'Copied' : 'Copy secret'}
      </button>{' '}
      <button type="button" className="btn" onClick={dismiss}>
        I have kept it
      </button>
    </section>
  );
}

function KeyList({ actions }: { actions: Actions }) {
  const keysList = useInfiniteQuery(apiKeysQuery());
  const { revoke } = actions;
  return (
    <section aria-labelledby="keys">
      <h2 id="keys">Keys</h2>
      <FormError error={revoke.error} />
      {revoke.isSuccess && <p role="status">“{revoke.data.name}” is revoked: it no longer works anywhere.</p>}
      <QueryState query={keysList} what="Loading API keys">
        {(data) => {
          const rows = data.pages.flatMap((p) => p.items);
          if (rows.length === 0) return <Empty>No API keys yet.</Empty>;
          return (
            <>
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Key</th>
                    <th scope="col">Sees</th>
                    <th scope="col">Permissions</th>
                    <th scope="col">Made</th>
                    <th scope="col">Last used</th>
                    <th scope="col">Status</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((k) => (
                    <KeyRow key={k.id} k={k} actions={actions} />
                  ))}
                </tbody>
              </table>
              <ShowMore query={keysList} what="keys" />
            </>
          );
        }}
      </QueryState>
    </section>
  );
}

function KeyRow({ k, actions }: { k: ApiKey; actions: Actions }) {
  const { revoke } = actions;
  return (
    <tr>
      <td data-label="Key">
        {k.name}
        <div className="muted">
          <code>{k.prefix}…</code>
        </div>
      </td>
      <td data-label="Sees">{k.client_id ? (k.client_name ?? 'One client account') : 'The agency'}</td>
      <td data-label="Permissions">
        {k.permissions.join(', ')}
        {k.rate_limit_per_minute && <div className="muted">{k.rate_limit_per_minute} requests a minute</div>}
      </td>
      <td data-label="Made">
        {dateTime(k.created_at)}
        <div className="muted">by {k.created_by_name ?? 'someone since removed'}</div>
        {k.expires_at && <div className="muted">expires {dateTime(k.expires_at)}</div>}
      </td>
      <td data-label="Last used">
        {k.last_used_at ? dateTime(k.last_used_at) : 'Never'}
        {k.last_used_address && <div className="muted">from {k.last_used_address}</div>}
      </td>
      <td data-label="Status">
        <StatusBadge status={k.status} />
      </td>
      <td data-label="Actions">
        {k.status === 'active' && (
          <button
            type="button"
            className="btn btn--danger"
            disabled={revoke.isPending}
            aria-label={`Revoke ${k.name}`}
            onClick={() => {
              if (window.confirm(`Revoke “${k.name}”? Anything using it stops working at once.`)) revoke.mutate(k.id);
            }}
          >
            Revoke
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
      <h2>New key</h2>
      <FormError error={create.error} />
      {accounts.isError && (
        <p className="form-error" role="alert">
          The client accounts could not be loaded, so a key can only be made for the agency right now.
        </p>
      )}
      <div className="grid">
        <TextField
          label="Name"
          hint="what uses it, e.g. Accounting sync"
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
          error={fieldError(create.error, 'name')}
        />
        <SelectField
          label="Sees"
          value={form.clientId}
          onChange={(e) => setForm({ ...form, clientId: e.target.value, permissions: [] })}
          error={fieldError(create.error, 'client_id')}
        >
          <option value="">The agency (acts as you)</option>
          {(accounts.data?.items ?? []).map((c) => (
            <option key={c.id} value={c.id}>
              Only {c.name} (as its Client Admin)
            </option>
          ))}
        </SelectField>
        <TextField
          label="Expires"
          hint="optional; the key stops at the end of that day"
          type="date"
          value={form.expires}
          onChange={(e) => setForm({ ...form, expires: e.target.value })}
          error={fieldError(create.error, 'expires_at')}
        />
        <TextField
          label="Requests a minute"
          hint="optional; past it the key is answered 429 until the minute is over"
          type="number"
          min={1}
          max={100000}
          value={form.rate}
          onChange={(e) => setForm({ ...form, rate: e.target.value })}
          error={fieldError(create.error, 'rate_limit_per_minute')}
        />
      </div>
      <PermissionChecklist
        legend="Permissions"
        choices={choices}
        value={form.permissions}
        onChange={(permissions) => setForm({ ...form, permissions })}
        describe
        error={fieldError(create.error, 'permissions')}
      />
      <button className="btn btn--primary" type="submit" disabled={create.isPending}>
        Make key
      </button>
    </form>
  );
}
